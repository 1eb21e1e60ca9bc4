using System.Text.Json.Nodes;
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
/// Task API extensions (<c>specs/smooth-task-api.md</c> §2.11–2.13), as the SDKs call them: <c>POST /extension</c>
/// uploads a Chrome extension (multipart part <c>file</c>: a <c>.zip</c> or <c>.crx</c> of an unpacked Manifest V3
/// extension), <c>GET /extension</c> lists them (<c>[{id, file_name, creation_time}]</c>, newest first),
/// <c>DELETE /extension/{id}</c> removes one (also at the spec's <c>/browser/extension/{id}</c>). A task names them in
/// <c>extensions</c>; its session gets a Chromium of its own started with them.
/// </summary>
public static class TaskExtensionEndpoints
{
    public static RouteGroupBuilder MapTaskExtensions(this RouteGroupBuilder api)
    {
        api.MapPost("/extension", UploadExtension).WithDoc(TaskApiDocs.UploadExtension);
        api.MapGet("/extension", ListExtensions).WithDoc(TaskApiDocs.ListExtensions);
        api.MapDelete("/extension/{extensionId}", DeleteExtension).WithDoc(TaskApiDocs.DeleteExtension);
        api.MapDelete("/browser/extension/{extensionId}", DeleteExtension).WithDoc(TaskApiDocs.DeleteExtensionAtSpecPath);
        return api;
    }

    /// <summary>Null when a task's <c>extensions</c> all name the caller's extensions, else the 400 to answer.</summary>
    public static async Task<JsonHttpResult<JsonObject>?> CheckExtensionsAsync(string[]? extensionIds, HttpContext http, IGrainFactory grains, ExtensionOptions limits) =>
        await ExtensionIds.ProblemAsync(extensionIds, Caller.Tenant(http), grains, limits) is { } problem
            ? Detail(StatusCodes.Status400BadRequest, problem)
            : null;

    private static async Task<JsonHttpResult<JsonObject>> UploadExtension(HttpContext http, IGrainFactory grains, IOptions<ExtensionOptions> options)
    {
        var read = await UploadForm.ReadAsync(http, options.Value.MaxUploadBytes, (_, file) => Path.GetFileName(file.FileName));
        if (!read.Ok)
        {
            return Detail(read.Status, read.Error!);
        }

        if (read.Value!.Files.Count != 1)
        {
            return Detail(StatusCodes.Status400BadRequest, "send exactly one extension, in a part named 'file'");
        }

        var file = read.Value.Files[0];
        var name = Path.GetFileName(file.FileName);
        var upload = await UploadForm.ToFileAsync(file, name, http.RequestAborted);
        var id = Ids.New("ext_");
        var reply = await grains.GetGrain<ITenantExtensionsGrain>(Caller.Tenant(http)).UploadAsync(id, name, upload.Content);
        return reply.Accepted
            ? Envelope(new JsonObject { ["id"] = id })
            : Detail(reply.Refusal switch
            {
                SessionRefusal.Forbidden => StatusCodes.Status403Forbidden,
                SessionRefusal.LimitReached => StatusCodes.Status413PayloadTooLarge,
                _ => StatusCodes.Status400BadRequest,
            }, reply.Reason!);
    }

    /// <summary>The caller's extensions as the SDKs type them: <c>creation_time</c> in Unix seconds.</summary>
    private static async Task<JsonHttpResult<JsonObject>> ListExtensions(HttpContext http, IGrainFactory grains)
    {
        var extensions = await grains.GetGrain<ITenantExtensionsGrain>(Caller.Tenant(http)).ListAsync();
        return Envelope(new JsonArray([.. extensions.Select(e => (JsonNode)new JsonObject
        {
            ["id"] = e.Id,
            ["file_name"] = e.FileName,
            ["creation_time"] = e.CreatedAt / 1000,
            ["name"] = e.Name,
            ["version"] = e.Version,
        })]));
    }

    private static async Task<JsonHttpResult<JsonObject>> DeleteExtension(string extensionId, HttpContext http, IGrainFactory grains) =>
        ExtensionIds.IsWellFormed(extensionId) && await grains.GetGrain<ITenantExtensionsGrain>(Caller.Tenant(http)).DeleteAsync(extensionId)
            ? Envelope(JsonValue.Create(true))
            : Detail(StatusCodes.Status404NotFound, $"extension '{Text.Shorten(extensionId)}' was not found");
}
