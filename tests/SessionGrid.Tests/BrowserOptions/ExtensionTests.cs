using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// Chrome extensions as the SDKs handle them (<c>uploadExtension</c>, <c>listExtensions</c>, <c>deleteExtension</c>,
/// <c>extensions</c> on a task): a minimal Manifest V3 extension built here (a content script that marks every page) is
/// uploaded, listed, loaded into a session's own Chromium, seen by <c>evaluate_js</c>, then deleted; what cannot be
/// loaded is refused and nothing is kept.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ExtensionTests(SharedHost shared, TestPages pages)
{
    private readonly TaskApiClient _tasks = shared.Host.Client();

    [Fact]
    public async Task An_extension_is_uploaded_listed_loaded_into_a_session_seen_by_evaluate_js_and_deleted()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var upload = await _tasks.UploadExtensionAsync("marker.zip", TestExtensions.Marking());
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        var id = upload.R["id"]!.GetValue<string>();
        Assert.Matches("^ext_[0-9a-f]{24}$", id);

        var listed = (await _tasks.SendAsync(HttpMethod.Get, "/api/v1/extension", null)).R.AsArray().Single(e => e!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("marker.zip", listed["file_name"]!.GetValue<string>());
        Assert.InRange(listed["creation_time"]!.GetValue<long>(), before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal("SessionGrid test ext", listed["name"]!.GetValue<string>());

        var submitted = await _tasks.SubmitAsync(new JsonObject { ["task"] = null, ["extensions"] = new JsonArray(id) }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        var session = submitted.R["id"]!.GetValue<string>();
        Assert.StartsWith("ws", submitted.R["cdp_url"]!.GetValue<string>());
        Assert.Equal(200, (await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/") }))["code"]!.GetValue<int>());
        Assert.Equal("on", (await _tasks.EvaluateAsync(session, "document.documentElement.dataset.ext ?? null"))?.GetValue<string>());

        // Another session, without it, is untouched.
        var plain = await _tasks.OpenSessionAsync(pages.Url("/"));
        Assert.Null(await _tasks.EvaluateAsync(plain, "document.documentElement.dataset.ext ?? null"));

        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{id}", null)).Status);
        Assert.DoesNotContain((await _tasks.SendAsync(HttpMethod.Get, "/api/v1/extension", null)).R.AsArray(), e => e!["id"]!.GetValue<string>() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{id}", null)).Status);

        // The session that loaded it keeps it; a new task may no longer name it.
        Assert.Equal(200, (await _tasks.ActAsync(session, "goto", new JsonObject { ["url"] = pages.Url("/second") }))["code"]!.GetValue<int>());
        Assert.Equal("on", (await _tasks.EvaluateAsync(session, "document.documentElement.dataset.ext ?? null"))?.GetValue<string>());
        var late = await _tasks.SubmitAsync(new JsonObject { ["task"] = null, ["extensions"] = new JsonArray(id) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, late.Status);
        Assert.Contains($"'{id}' is not an extension of this API key", late.Detail);
        await _tasks.CancelAsync(session);
        await _tasks.CancelAsync(plain);
    }

    [Fact]
    public async Task A_crx_and_a_zip_with_one_top_folder_load_together_in_a_Browser_Session_API_session()
    {
        var crx = await _tasks.UploadedExtensionAsync(TestExtensions.Crx3(TestExtensions.Marking("crx")), "packed.crx");
        var foldered = await _tasks.UploadedExtensionAsync(TestExtensions.Marking("folder", folder: "my-extension/"));
        var sessions = shared.Host.SessionClient();
        var created = await sessions.CreateAsync(new JsonObject { ["extensions"] = new JsonArray(crx, foldered) }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.NotNull(created.Json["cdpUrl"]?.GetValue<string>());
        var id = created.Json["id"]!.GetValue<string>();
        var result = await sessions.ActionAsync(id, new JsonObject
        {
            ["type"] = "evaluate", ["script"] = "[document.documentElement.dataset.crx, document.documentElement.dataset.folder].join(',')",
        }, pages.Url("/"));
        Assert.True(result.Status == HttpStatusCode.Created, result.Body?.ToJsonString());
        Assert.Equal("on,on", result.Json["actionResults"]![0]!["value"]!.GetValue<string>());
        await sessions.DeleteAsync(id);

        // The spec's path deletes too.
        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/browser/extension/{crx}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{foldered}", null)).Status);
    }

    public static TheoryData<string, byte[], string> BadPackages => new()
    {
        { "not a zip", Encoding.UTF8.GetBytes("just some text"), "is not a .zip or a .crx file" },
        { "no manifest", TestExtensions.Zip(new Dictionary<string, string> { ["content.js"] = "1" }), "has no manifest.json" },
        { "manifest version 2", TestExtensions.Marking(manifestVersion: 2), "manifest_version 2: SessionGrid loads Manifest V3 extensions only" },
        { "manifest not JSON", TestExtensions.Zip(new Dictionary<string, string> { ["manifest.json"] = "{not json" }), "manifest.json is not valid JSON" },
        { "manifest without a name", TestExtensions.Zip(new Dictionary<string, string> { ["manifest.json"] = """{"manifest_version": 3, "version": "1"}""" }), "needs a name and a version" },
        { "a ../ path", TestExtensions.Zip(new Dictionary<string, string> { ["manifest.json"] = """{"manifest_version": 3, "name": "x", "version": "1"}""", ["../evil.js"] = "1" }), "'../' is not allowed" },
        { "a nested ../ path", TestExtensions.Zip(new Dictionary<string, string> { ["manifest.json"] = """{"manifest_version": 3, "name": "x", "version": "1"}""", ["js/../../evil.js"] = "1" }), "'../' is not allowed" },
        { "an absolute path", TestExtensions.Zip(new Dictionary<string, string> { ["manifest.json"] = """{"manifest_version": 3, "name": "x", "version": "1"}""", ["/etc/evil"] = "1" }), "an absolute path" },
        { "a crx of an unknown version", [.. "Cr24"u8, .. BitConverter.GetBytes(9u), .. new byte[8]], "format version 9" },
        { "a cut crx", [.. "Cr24"u8, .. BitConverter.GetBytes(3u), .. BitConverter.GetBytes(1000u), 1, 2, 3], "holds no zip" },
    };

    [Theory]
    [MemberData(nameof(BadPackages))]
    public async Task A_package_that_cannot_be_loaded_is_a_400_naming_why_and_nothing_is_kept(string why, byte[] package, string expected)
    {
        var before = await CountAsync();
        var response = await _tasks.UploadExtensionAsync("bad.zip", package);
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{why}: {response.Status} {response.Body?.ToJsonString()}");
        Assert.Contains(expected, response.Detail);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task An_upload_that_is_not_one_file_in_a_part_named_file_is_refused()
    {
        var notMultipart = await _tasks.SendAsync(HttpMethod.Post, "/api/v1/extension", "{}");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.Status);

        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(TestExtensions.Marking());
        part.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(part, "file", "a.zip");
        var second = new ByteArrayContent(TestExtensions.Marking());
        second.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(second, "file", "b.zip");
        var twoFiles = await _tasks.SendContentAsync(HttpMethod.Post, "/api/v1/extension", form);
        Assert.Equal(HttpStatusCode.BadRequest, twoFiles.Status);
        Assert.Contains("exactly one extension", twoFiles.Detail);
    }

    [Fact]
    public async Task A_task_naming_an_unknown_malformed_or_other_keys_extension_is_a_400_before_anything_starts()
    {
        var mine = await _tasks.UploadedExtensionAsync(TestExtensions.Marking());
        var other = shared.Host.Client(TestKeys.B);
        var before = (await other.ListAsync("?l=128")).R.AsArray().Count;
        foreach (var (ids, expected) in new (JsonArray Ids, string Expected)[]
        {
            (new JsonArray(mine), $"'{mine}' is not an extension of this API key"),
            (new JsonArray("ext_000000000000000000000000"), "'ext_000000000000000000000000' is not an extension"),
            (new JsonArray("../../etc"), "'../../etc' is not an extension"),
            (new JsonArray(mine, mine), "at most 10 different extension ids"),
        })
        {
            var response = await other.SubmitAsync(new JsonObject { ["task"] = null, ["extensions"] = ids }.ToJsonString());
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Contains(expected, response.Detail);
        }

        var problem = await shared.Host.SessionClient(TestKeys.B).CreateAsync(new JsonObject { ["extensions"] = new JsonArray(mine) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains("is not an extension of this API key", problem.Detail);
        Assert.Equal(before, (await other.ListAsync("?l=128")).R.AsArray().Count);

        // Another key can neither list nor delete it.
        Assert.DoesNotContain((await other.SendAsync(HttpMethod.Get, "/api/v1/extension", null)).R.AsArray(), e => e!["id"]!.GetValue<string>() == mine);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{mine}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{mine}", null)).Status);
    }

    private async Task<int> CountAsync() => (await _tasks.SendAsync(HttpMethod.Get, "/api/v1/extension", null)).R.AsArray().Count;
}

/// <summary>A host with small extension limits: the upload cap, the unpacked cap and the number a tenant may keep.</summary>
public sealed class ExtensionLimitsHost() : ConfiguredHost(new Dictionary<string, string>
{
    ["SessionGrid:Extensions:MaxUploadBytes"] = "65536",
    ["SessionGrid:Extensions:MaxUnpackedBytes"] = "1048576",
    ["SessionGrid:Extensions:MaxPerTenant"] = "1",
});

public sealed class ExtensionLimitTests(ExtensionLimitsHost fixture) : IClassFixture<ExtensionLimitsHost>
{
    private readonly TaskApiClient _tasks = fixture.Host.Client();

    [Fact]
    public async Task An_extension_over_the_upload_cap_is_a_413()
    {
        var big = TestExtensions.Zip(new Dictionary<string, string>
        {
            ["manifest.json"] = """{"manifest_version": 3, "name": "big", "version": "1"}""",
            ["noise.txt"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_000)),
        });
        var response = await _tasks.UploadExtensionAsync("big.zip", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Contains("at most 65536 bytes", response.Detail);
    }

    [Fact]
    public async Task An_extension_that_unpacks_past_the_cap_is_refused()
    {
        var bomb = TestExtensions.Zip(new Dictionary<string, string>
        {
            ["manifest.json"] = """{"manifest_version": 3, "name": "bomb", "version": "1"}""",
            ["zeros.txt"] = new string('0', 2 << 20),
        });
        Assert.True(bomb.Length < 65536);
        var response = await _tasks.UploadExtensionAsync("bomb.zip", bomb);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("unpacks to more than 1048576 bytes", response.Detail);
    }

    [Fact]
    public async Task A_tenant_keeps_at_most_its_limit_of_extensions()
    {
        var client = fixture.Host.Client(TestKeys.B);
        var first = await client.UploadedExtensionAsync(TestExtensions.Marking());
        var second = await client.UploadExtensionAsync("second.zip", TestExtensions.Marking());
        Assert.Equal(HttpStatusCode.Forbidden, second.Status);
        Assert.Contains("already keeps 1 extensions", second.Detail);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{first}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.UploadExtensionAsync("second.zip", TestExtensions.Marking())).Status);
    }
}
