using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.TaskApi;

/// <summary>Task API files: POST /file, DELETE /file/{id}, and the <c>files</c> a task's session can upload.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class FileTests(SharedHost shared, TestPages pages)
{
    private readonly TaskApiClient _client = shared.Host.Client();

    [Fact]
    public async Task An_uploaded_file_is_available_to_the_uploads_of_a_task_that_names_it_and_can_be_deleted()
    {
        var upload = await _client.UploadFileAsync("invoice.txt", Encoding.UTF8.GetBytes("total: 42"), "the invoice to attach");
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        var fileId = upload.R["id"]!.GetValue<string>();
        Assert.Matches("^file_[0-9a-f]{24}$", fileId);

        var submitted = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["url"] = pages.Url("/upload"), ["files"] = new JsonArray(fileId) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        var session = submitted.R["id"]!.GetValue<string>();
        await _client.ActionAsync(session, "up", "browser_action", "uploadFile", new JsonObject { ["selector"] = "#file", ["filename"] = "invoice.txt" });
        Assert.Equal(200, (await _client.WaitForEventAsync(session, "up"))["payload"]!["code"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/file/{fileId}", null)).Status);
        var again = await _client.SendAsync(HttpMethod.Delete, $"/api/v1/file/{fileId}", null);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Contains("was not found", again.Detail);

        // Deleted: a new task may no longer name it, but the session that copied it keeps its copy.
        var late = await _client.SubmitAsync(new JsonObject { ["task"] = null, ["files"] = new JsonArray(fileId) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, late.Status);
        Assert.Contains("is not an uploaded file", late.Detail);
        await _client.ActionAsync(session, "again", "browser_action", "uploadFile", new JsonObject { ["selector"] = "#file", ["filename"] = "invoice.txt" });
        Assert.Equal(200, (await _client.WaitForEventAsync(session, "again"))["payload"]!["code"]!.GetValue<int>());

        await _client.ActionAsync(session, "send", "browser_action", "click", new JsonObject { ["selector"] = "#send" });
        Assert.Equal(200, (await _client.WaitForEventAsync(session, "send"))["payload"]!["code"]!.GetValue<int>());
        Assert.Equal("total: 42", Encoding.UTF8.GetString(await Eventually.Until(
            () => Task.FromResult(pages.Uploads.GetValueOrDefault("invoice.txt")), TimeSpan.FromSeconds(10), "the upload")));
        await _client.CancelAsync(session);
    }

    [Fact]
    public async Task A_file_of_another_key_cannot_be_named_or_deleted()
    {
        var fileId = await _client.UploadedFileAsync("mine.txt", [1, 2, 3]);
        var other = shared.Host.Client(TestKeys.B);
        var before = (await other.ListAsync("?l=128")).R.AsArray().Count;

        var submitted = await other.SubmitAsync(new JsonObject { ["task"] = null, ["files"] = new JsonArray(fileId) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, submitted.Status);
        Assert.Contains(fileId, submitted.Detail);
        Assert.Equal(before, (await other.ListAsync("?l=128")).R.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Delete, $"/api/v1/file/{fileId}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(HttpMethod.Delete, $"/api/v1/file/{fileId}", null)).Status);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_a_detail()
    {
        var purpose = await _client.UploadFileAsync("a.txt", [1], new string('p', 65));
        Assert.Equal(HttpStatusCode.BadRequest, purpose.Status);
        Assert.Contains("file_purpose must be at most 64 characters", purpose.Detail);
        Assert.Equal(HttpStatusCode.OK, (await _client.UploadFileAsync("a.txt", [1], new string('p', 64))).Status);

        var json = await _client.SendAsync(HttpMethod.Post, "/api/v1/file", "{}");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.Status);
        Assert.Contains("multipart/form-data", json.Detail);

        var noFile = new MultipartFormDataContent { { new StringContent("x"), "file_purpose" } };
        var empty = await _client.SendContentAsync(HttpMethod.Post, "/api/v1/file", noFile);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("the form has no file", empty.Detail);

        var tooBig = await _client.UploadFileAsync("big.bin", new byte[(10 << 20) + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.Status);
        Assert.Contains("at most 10485760 bytes", tooBig.Detail);
        Assert.Equal(HttpStatusCode.OK, (await _client.UploadFileAsync("edge.bin", new byte[10 << 20])).Status);

        var unauthenticated = await new TaskApiClient(_client.Http, null).UploadFileAsync("a.txt", [1]);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(HttpMethod.Delete, "/api/v1/file/..%2Fetc", null)).Status);
    }

    [Theory]
    [InlineData("""{"task": null, "files": ["file_000000000000000000000000"]}""", "'file_000000000000000000000000' is not an uploaded file")]
    [InlineData("""{"task": null, "files": ["../secret"]}""", "is not an uploaded file")]
    [InlineData("""{"task": null, "files": [null]}""", "is not an uploaded file")]
    [InlineData("""{"task": null, "files": "file_1"}""", "files")]
    [InlineData("""{"task": null, "files": ["file_000000000000000000000000", "file_000000000000000000000000"]}""", "at most 20 different file ids")]
    public async Task A_task_naming_files_that_do_not_exist_is_a_400_and_creates_nothing(string body, string expected)
    {
        var before = (await _client.ListAsync("?l=128")).R.AsArray().Count;
        var response = await _client.SubmitAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(expected, response.Detail);
        Assert.Equal(before, (await _client.ListAsync("?l=128")).R.AsArray().Count);
    }
}
