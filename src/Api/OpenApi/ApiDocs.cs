namespace SessionGrid.Api.OpenApi;

/// <summary>The route docs of the three dialects, the admin API and the console API.</summary>
public static class ApiDocs
{
    public static readonly IReadOnlyList<DialectDocs> Dialects = [TaskApiDocs.Dialect, BrowserSessionApiDocs.Dialect, BrowsingApiDocs.Dialect, AdminApiDocs.Dialect, ConsoleApiDocs.Dialect];
}
