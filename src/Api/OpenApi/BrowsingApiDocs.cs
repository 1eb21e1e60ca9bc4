using SessionGrid.Api.BrowsingApi;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The Browsing API (dat.ai-compatible, <c>/api/v1/browsing</c>) in the OpenAPI document:
/// one doc per route, named as its handler, attached where the route is mapped.
/// </summary>
public static class BrowsingApiDocs
{
    public const string Tag = "Browsing API";

    /// <summary>The dialect: its tag, its error shape, and the routes below.</summary>
    public static readonly DialectDocs Dialect = new(Tag, typeof(BrowsingError));

    public static readonly RouteDoc SubmitAsync = Dialect.Route("POST", "/api/v1/browsing/async", "Submit a task")
        .Description("Answers the task id at once; poll /status. template: default (the agent), visit, actions, or an operator template.")
        .Accepts<BrowsingRequest>()
        .Returns<BrowsingTaskId>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status413PayloadTooLarge);

    public static readonly RouteDoc SubmitSync = Dialect.Route("POST", "/api/v1/browsing/sync", "Submit a task and wait for its result")
        .Description("Answers the finished task's status; 504 (with task_id, still pollable) when it runs longer than the sync wait.")
        .Accepts<BrowsingRequest>()
        .Returns<BrowsingStatus>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status413PayloadTooLarge, Status504GatewayTimeout);

    public static readonly RouteDoc GetStatus = Dialect.Route("GET", "/api/v1/browsing/status", "Read a task's status")
        .Query("task_id", typeof(string), "The id /async or /sync answered", required: true)
        .Returns<BrowsingStatus>()
        .Errors(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status404NotFound);

    public static readonly RouteDoc GetScreenshot = Dialect.Route("GET", "/api/v1/browsing/screenshots/{taskId}/{file}", "Download a task's screenshot")
        .ReturnsFile("image/png")
        .Errors(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status404NotFound);
}
