using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Sessions;
using static SessionGrid.Api.TaskApi.TaskApiEndpoints;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// Task API files (<c>specs/smooth-task-api.md</c> §2.9–2.10): <c>POST /file</c> uploads one file for tasks to use
/// (<c>files</c> on <c>POST /task</c>), kept for the file retention; <c>DELETE /file/{id}</c> removes it early.
/// </summary>
public static partial class TaskFileEndpoints
{
    public const int MaxPurposeLength = 64;

    public static RouteGroupBuilder MapTaskFiles(this RouteGroupBuilder api)
    {
        api.MapPost("/file", UploadFile).WithDoc(TaskApiDocs.UploadFile);
        api.MapDelete("/file/{fileId}", DeleteFile).WithDoc(TaskApiDocs.DeleteFile);
        return api;
    }

    /// <summary>Null when <paramref name="fileIds"/> all name the caller's live files, else the 400 to answer.</summary>
    public static async Task<JsonHttpResult<JsonObject>?> CheckFilesAsync(string[]? fileIds, HttpContext http, IGrainFactory grains, SessionFileOptions limits)
    {
        if (fileIds is null || fileIds.Length == 0)
        {
            return null;
        }

        if (fileIds.Length > limits.MaxFilesPerSession || fileIds.Distinct(StringComparer.Ordinal).Count() != fileIds.Length)
        {
            return Detail(StatusCodes.Status400BadRequest, $"files must list at most {limits.MaxFilesPerSession} different file ids");
        }

        var malformed = fileIds.FirstOrDefault(id => !FileId().IsMatch(id ?? ""));
        var missing = malformed is null ? await grains.GetGrain<ITenantFilesGrain>(Caller.Tenant(http)).MissingAsync(fileIds) : [malformed];
        return missing.Count == 0
            ? null
            : Detail(StatusCodes.Status400BadRequest, $"files: '{Text.Shorten(missing[0] ?? "null")}' is not an uploaded file (upload with POST /api/v1/file; files are kept {limits.RetentionHours} hours)");
    }

    private static async Task<JsonHttpResult<JsonObject>> UploadFile(HttpContext http, IGrainFactory grains, IOptions<SessionFileOptions> files)
    {
        var read = await UploadForm.ReadAsync(http, files.Value, (_, file) => Path.GetFileName(file.FileName));
        if (!read.Ok)
        {
            return Detail(read.Status, read.Error!);
        }

        var form = read.Value!;
        if (form.Files.Count != 1)
        {
            return Detail(StatusCodes.Status400BadRequest, "send exactly one file, in a part named 'file'");
        }

        var purpose = form["file_purpose"].ToString();
        if (purpose.Length > MaxPurposeLength)
        {
            return Detail(StatusCodes.Status400BadRequest, $"file_purpose must be at most {MaxPurposeLength} characters");
        }

        var file = form.Files[0];
        var id = Ids.New("file_");
        var upload = await UploadForm.ToFileAsync(file, Path.GetFileName(file.FileName), http.RequestAborted)
            with { Description = string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim() };
        var reply = await grains.GetGrain<ITenantFilesGrain>(Caller.Tenant(http)).UploadAsync(id, upload);
        return reply.Reply.Accepted
            ? Envelope(new JsonObject { ["id"] = id })
            : Detail(StatusCodes.Status400BadRequest, reply.Reply.Reason!);
    }

    private static async Task<JsonHttpResult<JsonObject>> DeleteFile(string fileId, HttpContext http, IGrainFactory grains) =>
        FileId().IsMatch(fileId) && await grains.GetGrain<ITenantFilesGrain>(Caller.Tenant(http)).DeleteAsync(fileId)
            ? Envelope(JsonValue.Create(true))
            : Detail(StatusCodes.Status404NotFound, $"file '{Text.Shorten(fileId)}' was not found");

    [GeneratedRegex("^file_[0-9a-f]{24}$")]
    private static partial Regex FileId();
}
