using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Agent;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// The browser options exactly as the Smooth SDKs send them: every field of their <c>TaskRequest</c>, defaults included
/// (<c>use_stealth</c>, <c>use_captcha_solver</c> and <c>use_adblock</c> true, <c>enable_recording</c>, the mirrored
/// <c>session_id</c>), for <c>client.session(...)</c> driven as the SDKs drive it, and for <c>client.run(...)</c>.
/// </summary>
public sealed class SdkOptionsTests(AgentHost fixture, TestPages pages) : IClassFixture<AgentHost>
{
    private const string User = "sdk-user";
    private const string Password = "sdk-Pa55";
    private readonly TaskApiClient _tasks = fixture.Host.Client();

    /// <summary>A page on <c>localhost</c>, marked, so the proxy's record can be searched.</summary>
    private string Localhost(string path, string marker) =>
        pages.Url($"{path}?m={marker}").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    [Fact]
    public async Task A_session_opened_as_the_SDK_opens_it_gets_its_proxy_extension_and_cursor_and_hears_what_was_ignored()
    {
        await using var proxy = new ForwardProxy(User, Password);
        var extension = await _tasks.UploadedExtensionAsync(TestExtensions.Marking(), "marker.zip");
        var marker = Guid.NewGuid().ToString("N");

        var submitted = await _tasks.SubmitAsync(SdkTaskRequest(task: null, url: null, proxy, extension, useAdblock: true, showCursor: true).ToJsonString());
        Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Body?.ToJsonString());
        Assert.Equal(["use_stealth", "use_captcha_solver"], submitted.R["ignored_options"]!.AsArray().Select(o => o!.GetValue<string>()));
        var session = new SdkStyleSession(_tasks, submitted.R["id"]!.GetValue<string>());

        await session.ActionAsync("goto", new JsonObject { ["url"] = Localhost("/widgets", marker) });
        Assert.True(proxy.Passes("/widgets?m=" + marker));
        var marked = await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "document.documentElement.dataset.ext", ["args"] = null });
        Assert.Equal("on", marked!["output"]!.GetValue<string>());
        await session.ActionAsync("click", new JsonObject { ["selector"] = "#counter" });
        var cursor = await session.ActionAsync("evaluate_js", new JsonObject { ["js"] = "document.querySelector('sessiongrid-cursor') !== null", ["args"] = null });
        Assert.True(cursor!["output"]!.GetValue<bool>());

        Assert.True((await session.SessionActionAsync("close"))!["output"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{extension}", null)).Status);
    }

    [Fact]
    public async Task A_run_as_the_SDK_sends_it_browses_through_its_proxy_with_its_extension()
    {
        await using var proxy = new ForwardProxy(User, Password);
        var extension = await _tasks.UploadedExtensionAsync(TestExtensions.Zip(new Dictionary<string, string>
        {
            ["manifest.json"] = """
                {"manifest_version": 3, "name": "says hi", "version": "1.0",
                 "content_scripts": [{"matches": ["<all_urls>"], "js": ["hi.js"], "run_at": "document_end"}]}
                """,
            ["hi.js"] = "const p = document.createElement('p'); p.textContent = 'the extension says hi'; document.body.append(p);",
        }));
        var marker = Guid.NewGuid().ToString("N");
        fixture.Model.Reset();
        fixture.Model.Play(request => Call("done", new JsonObject { ["output"] = Last(request, "user").Contains("the extension says hi", StringComparison.Ordinal) })(request));

        var submitted = await _tasks.SubmitAsync(SdkTaskRequest("Does the page greet me?", Localhost("/", marker), proxy, extension, useAdblock: false, showCursor: false).ToJsonString());
        Assert.True(submitted.Status == HttpStatusCode.OK, submitted.Body?.ToJsonString());
        var done = await _tasks.WaitForStatusAsync(submitted.R["id"]!.GetValue<string>(), "done", TimeSpan.FromSeconds(60));
        Assert.True(done["output"]!.GetValue<bool>(), "the agent did not see the extension's text");
        Assert.True(proxy.Passes("/?m=" + marker));
        Assert.Equal(HttpStatusCode.OK, (await _tasks.SendAsync(HttpMethod.Delete, $"/api/v1/extension/{extension}", null)).Status);
    }

    /// <summary>
    /// The body of <c>POST /task</c> as the Python SDK's <c>TaskRequest.model_dump()</c> makes it (the TypeScript SDK's
    /// <c>buildTaskPayload</c> sends the same fields), with these options and every other field at its default.
    /// </summary>
    private static JsonObject SdkTaskRequest(string? task, string? url, ForwardProxy proxy, string extension, bool useAdblock, bool showCursor) => new()
    {
        ["task"] = task,
        ["response_model"] = null,
        ["url"] = url,
        ["metadata"] = null,
        ["files"] = null,
        ["agent"] = "smooth",
        ["max_steps"] = 32,
        ["device"] = "desktop",
        ["allowed_urls"] = null,
        ["enable_recording"] = true,
        ["profile_id"] = null,
        ["profile_read_only"] = false,
        ["stealth_mode"] = false,
        ["use_stealth"] = true,
        ["proxy_server"] = proxy.Url,
        ["proxy_username"] = User,
        ["proxy_password"] = Password,
        ["certificates"] = null,
        ["use_adblock"] = useAdblock,
        ["use_captcha_solver"] = true,
        ["additional_tools"] = null,
        ["custom_tools"] = null,
        ["experimental_features"] = null,
        ["extensions"] = new JsonArray(extension),
        ["show_cursor"] = showCursor,
        ["session_id"] = null,
    };
}
