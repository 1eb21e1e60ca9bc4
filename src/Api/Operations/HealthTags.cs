namespace SessionGrid.Api.Operations;

/// <summary>Which probe a health check belongs to: the tags <see cref="HealthEndpoints"/> select checks by.</summary>
public static class HealthTags
{
    /// <summary>Checked by <c>/health/ready</c>: the node can serve sessions now.</summary>
    public const string Ready = "ready";

    /// <summary>Checked by <c>/health/startup</c>: the node has finished starting.</summary>
    public const string Startup = "startup";
}
