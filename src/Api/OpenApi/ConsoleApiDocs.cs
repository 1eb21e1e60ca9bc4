using static Microsoft.AspNetCore.Http.StatusCodes;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The web console's read-only API (<c>/api/v1/console</c>) in the OpenAPI document: one doc per route, named as its
/// handler, attached where the route is mapped.
/// </summary>
public static class ConsoleApiDocs
{
    public const string Tag = "Console API";

    /// <summary>The console's errors are the Task API's shape, <c>{"detail": "…"}</c>.</summary>
    public static readonly DialectDocs Dialect = new(Tag, typeof(TaskApiError));

    public static readonly RouteDoc ListSessions = Dialect.Route("GET", "/api/v1/console/sessions", "List sessions of every dialect, newest first")
        .Description("The key's tenant's sessions and tasks of all three dialects. A status filter reads at most 1024 entries of the index per page; " +
            "page on with t = next until next is null (a page may then hold fewer than l).")
        .Query("status", typeof(string), "waiting, running, done, failed or cancelled")
        .Query("dialect", typeof(string), "task, browser-session or browsing")
        .Query("l", typeof(int), "1 to 100 (default 25)")
        .Query("t", typeof(long), "The next of the previous page")
        .Returns<ConsoleSessionListSchema>()
        .Errors(Status400BadRequest, Status401Unauthorized);

    public static readonly RouteDoc GetSession = Dialect.Route("GET", "/api/v1/console/sessions/{sessionId}", "A session of any dialect with its events")
        .Description("Its events after event_t (Unix ms, default 0), and the path of its live view while it waits or runs. Another key's session is a 404, as an unknown one.")
        .Query("event_t", typeof(long), "Only events after this timestamp (Unix ms)")
        .Returns<ConsoleSessionSchema>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status404NotFound);

    public static readonly RouteDoc ListNodes = Dialect.Route("GET", "/api/v1/console/nodes", "The cluster's nodes and their browser capacity")
        .Description("Each node that reported to the capacity board in the last 15 seconds: name, country, capacity used and free, Chromium processes, versions.")
        .Returns<ConsoleNodeListSchema>()
        .Errors(Status401Unauthorized);
}
