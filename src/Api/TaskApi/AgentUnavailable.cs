namespace SessionGrid.Api.TaskApi;

/// <summary>The answer to agent requests (task strings, run_task, extract) while no agent model is configured.</summary>
public static class AgentUnavailable
{
    public static string Detail(string what) =>
        $"{what} needs an AI agent, and there is no agent model configured on this server (settings SessionGrid:Agent:Endpoint and SessionGrid:Agent:Model)";
}
