using SessionGrid.Contracts.Agent;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Tests.Agent;

/// <summary>What an agent spec carries and shows: a secret's value never in its text, a run's own tools before its session's.</summary>
public sealed class AgentSpecTests
{
    [Fact]
    public void A_secret_s_text_names_it_without_its_value()
    {
        var secret = new AgentSecret("API_KEY", "value-that-must-not-print", ["https://a.test/**"]);
        var spec = new AgentSpec("task", 4) { Secrets = [secret] };
        Assert.Equal("AgentSecret { Name = API_KEY, AllowedUrls = [https://a.test/**] }", secret.ToString());
        Assert.DoesNotContain("value-that-must-not-print", spec.ToString());
        Assert.Equal("{{secret:API_KEY}}", secret.Placeholder);
    }

    [Fact]
    public void A_run_in_a_session_takes_the_session_s_tools_unless_it_names_its_own_and_the_session_s_agent()
    {
        ToolSignature[] sessionTools = [new("weather", "d", "{}", null)];
        AdditionalTool[] sessionExtras = [new(AdditionalTool.Hover)];
        var session = new SessionSpec("owner", DeviceKind.Desktop, null) { CustomTools = sessionTools, AdditionalTools = sessionExtras };
        var bare = new AgentSpec("task", 4).InSession(session);
        Assert.Equal(sessionTools, bare.CustomTools);
        Assert.Equal(sessionExtras, bare.AdditionalTools);
        Assert.False(bare.Lite);

        var own = new AgentSpec("task", 4) { CustomTools = [new("mine", "d", "{}", null)], AdditionalTools = [new(AdditionalTool.Screenshot) { FullPage = true }] };
        var kept = own.InSession(session);
        Assert.Equal(own.CustomTools, kept.CustomTools);
        Assert.Equal(own.AdditionalTools, kept.AdditionalTools);

        Assert.True(new AgentSpec("task", 4).InSession(session with { LiteAgent = true }).Lite);
        Assert.True(new AgentSpec("task", 4) { Lite = true }.InSession(session).Lite);
    }
}
