using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserOptionTests;

/// <summary>
/// The options SessionGrid cannot honour (<c>use_stealth</c>, <c>stealth_mode</c>, <c>use_captcha_solver</c>,
/// <c>experimental_features</c>) never fail a task, whatever their value; the ones asked for are listed in the answer to
/// <c>POST /task</c> as <c>ignored_options</c>.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class IgnoredOptionsTests(SharedHost shared)
{
    private readonly TaskApiClient _tasks = shared.Host.Client();

    public static TheoryData<string, string[]> Requests => new()
    {
        // What the SDKs send by default: stealth and the captcha solver on, the deprecated flag off, no experiments.
        { """{"use_stealth": true, "stealth_mode": false, "use_captcha_solver": true, "experimental_features": null}""", ["use_stealth", "use_captcha_solver"] },
        { """{"use_stealth": false, "use_captcha_solver": false, "experimental_features": {}}""", [] },
        { """{}""", [] },
        { """{"stealth_mode": true, "experimental_features": {"fast_mode": true}}""", ["stealth_mode", "experimental_features"] },
        // Values of any type are accepted: nothing fails on an option that is ignored anyway.
        { """{"use_stealth": "yes", "use_captcha_solver": 1, "stealth_mode": [], "experimental_features": [1]}""", ["use_stealth", "use_captcha_solver", "experimental_features"] },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Options_that_cannot_be_honoured_are_accepted_and_listed(string options, string[] ignored)
    {
        var request = JsonNode.Parse(options)!.AsObject();
        request["task"] = null;
        var response = await _tasks.SubmitAsync(request.ToJsonString());
        Assert.True(response.Status == HttpStatusCode.OK, $"{response.Status}: {response.Body?.ToJsonString()}");
        Assert.Equal(ignored, response.R["ignored_options"]!.AsArray().Select(n => n!.GetValue<string>()));

        // The answer to POST /task says it once; reads of the task do not repeat it.
        var id = response.R["id"]!.GetValue<string>();
        Assert.Null((await _tasks.GetAsync(id)).R["ignored_options"]);
        await _tasks.CancelAsync(id);
    }
}
