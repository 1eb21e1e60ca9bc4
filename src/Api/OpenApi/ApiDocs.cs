namespace SessionGrid.Api.OpenApi;

/// <summary>The route docs of the three dialects and the admin API.</summary>
public static class ApiDocs
{
    public static readonly IReadOnlyList<DialectDocs> Dialects = [TaskApiDocs.Dialect, BrowserSessionApiDocs.Dialect, BrowsingApiDocs.Dialect, AdminApiDocs.Dialect];
}
