using SessionGrid.Contracts.Agent;

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
    public void A_run_in_a_session_takes_the_session_s_tools_unless_it_names_its_own()
    {
        ToolSignature[] sessionTools = [new("weather", "d", "{}", null)];
        AdditionalTool[] sessionExtras = [new(AdditionalTool.Hover)];
        var bare = new AgentSpec("task", 4).InSession(sessionTools, sessionExtras);
        Assert.Equal(sessionTools, bare.CustomTools);
        Assert.Equal(sessionExtras, bare.AdditionalTools);

        var own = new AgentSpec("task", 4) { CustomTools = [new("mine", "d", "{}", null)], AdditionalTools = [new(AdditionalTool.Screenshot) { FullPage = true }] };
        var kept = own.InSession(sessionTools, sessionExtras);
        Assert.Equal(own.CustomTools, kept.CustomTools);
        Assert.Equal(own.AdditionalTools, kept.AdditionalTools);
    }
}
