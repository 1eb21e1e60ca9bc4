namespace SessionGrid.Contracts.Tasks;

/// <summary>The wire dialect a task was created through; each dialect lists only its own tasks.</summary>
public static class Dialects
{
    public const string TaskApi = "task";
    public const string BrowserSessionApi = "browser-session";
    public const string BrowsingApi = "browsing";
}
