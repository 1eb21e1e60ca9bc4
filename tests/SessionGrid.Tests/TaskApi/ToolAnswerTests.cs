using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Agent;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.ScriptedModel;

namespace SessionGrid.Tests.TaskApi;

/// <summary>A <c>tool_call</c> answer's <c>code</c> must be the number 200, 400 or 500: anything else is a 400 and changes nothing.</summary>
public sealed class ToolAnswerTests(AgentHost fixture) : IClassFixture<AgentHost>
{
    private readonly TaskApiClient _client = fixture.Host.Client();

    [Fact]
    public async Task Every_code_that_is_not_200_400_or_500_as_a_number_is_a_400_and_the_call_stays_pending()
    {
        fixture.Model.Reset();
        fixture.Model.Play(
            Call("weather", new JsonObject { ["city"] = "Oslo" }),
            request => Call("done", new JsonObject { ["output"] = Last(request, "tool") })(request));
        var submitted = await _client.SubmitAsync(new JsonObject
        {
            ["task"] = "What is the weather in Oslo?",
            ["custom_tools"] = new JsonArray(new JsonObject
            {
                ["name"] = "weather",
                ["description"] = "Current weather of a city",
                ["inputs"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } },
                ["output"] = "the temperature",
            }),
        }.ToJsonString());
        var id = submitted.R["id"]!.GetValue<string>();
        var call = await Eventually.Until(async () =>
            (await _client.GetAsync(id)).R["events"]?.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "tool_call"),
            TimeSpan.FromSeconds(30), "the tool_call event");
        var callId = call["id"]!.GetValue<string>();

        foreach (var code in new[] { "\"\"", "true", "[]", "{}", "null", "\"200\"", "200.5", "201", "1e3" })
        {
            var answer = await _client.EventAsync(id, $$$"""{"name": "tool_call", "id": "{{{callId}}}", "payload": {"code": {{{code}}}, "output": 1}}""");
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"code {code}: {answer.Status}");
            Assert.Contains("payload.code", answer.Detail);
        }

        var missing = await _client.EventAsync(id, $$$"""{"name": "tool_call", "id": "{{{callId}}}", "payload": {"output": 1}}""");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);

        // The call still waits, and a valid answer ends the task.
        var valid = await _client.EventAsync(id, $$$"""{"name": "tool_call", "id": "{{{callId}}}", "payload": {"code": 200, "output": {"temperature": 3} } }""");
        Assert.Equal(HttpStatusCode.OK, valid.Status);
        var done = await _client.WaitForStatusAsync(id, "done", TimeSpan.FromSeconds(30));
        Assert.Equal("ok: {\"temperature\": 3}", done["output"]!.GetValue<string>());
    }
}
