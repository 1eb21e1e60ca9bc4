using Microsoft.AspNetCore.Mvc;
using SessionGrid.Api.Admin;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The admin API (<c>/api/v1/admin</c>: issued API keys) in the OpenAPI document:
/// one doc per route, named as its handler, attached where the route is mapped.
/// </summary>
public static class AdminApiDocs
{
    public const string Tag = "Admin API";

    /// <summary>The dialect: its tag, its error shape, and the routes below.</summary>
    public static readonly DialectDocs Dialect = new(Tag, typeof(ProblemDetails), "application/problem+json", rateLimited: false);

    public static readonly RouteDoc CreateKey = Dialect.Route("POST", "/api/v1/admin/keys", "Issue an API key")
        .Description("Needs an admin key (SessionGrid:AdminKeys); a tenant's key answers 403. The answer holds the key, shown only this once. " +
            "Without `tenant` the key gets a new tenant of its own; with the tenant of an existing key it shares that key's tasks, " +
            "sessions, profiles, credentials and limits (to rotate a key: issue one for its tenant, then revoke the old). " +
            "`name` also names the key's own limits in configuration.")
        .Accepts<CreateKeyRequest>(optional: true)
        .Returns<CreatedApiKey>(Status201Created)
        .Errors(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status409Conflict, Status413PayloadTooLarge);

    public static readonly RouteDoc ListKeys = Dialect.Route("GET", "/api/v1/admin/keys", "List issued keys, newest first")
        .Description("Revoked keys included; never a key. Keys from configuration (SessionGrid:ApiKeys) are not listed.")
        .Returns<ApiKeyList>()
        .Errors(Status401Unauthorized, Status403Forbidden);

    public static readonly RouteDoc RevokeKey = Dialect.Route("DELETE", "/api/v1/admin/keys/{keyId}", "Revoke a key")
        .Description("From the next request on, the key answers 401 on every node. Revoking again answers the key as it is; 404 for an unknown id.")
        .Returns<ApiKeySchema>()
        .Errors(Status401Unauthorized, Status403Forbidden, Status404NotFound);

    public static readonly RouteDoc DrainNode = Dialect.Route("POST", "/api/v1/admin/nodes/{name}/drain", "Drain a node")
        .Description("The node (by its silo name, as GET /api/v1/console/nodes lists it) takes no new session from now on, moves its " +
            "profile-backed sessions to other nodes (session_restored), lets the others finish for SessionGrid:Node:DrainSeconds, then ends " +
            "what is left (node_draining). SIGTERM does the same. Draining again answers the same drain (202, alreadyDraining: true); " +
            "a drain cannot be undone: stop the node once it drained. 404 when no live node has that name.")
        .Returns<NodeDrainSchema>(Status202Accepted)
        .Errors(Status401Unauthorized, Status403Forbidden, Status404NotFound);

    public static readonly RouteDoc Capacity = Dialect.Route("GET", "/api/v1/admin/capacity", "The scale signal: how many silos the cluster needs")
        .Description("Busy and waiting sessions over the per-silo capacity with headroom: desired = max(1, ceil((busy + waiting) / " +
            "(SessionGrid:Browser:MaxContexts × SessionGrid:Cluster:TargetUtilisation))). Draining silos count neither as silos nor as capacity. " +
            "The same number is the sessiongrid_cluster_desired_silos metric on /metrics.")
        .Returns<ClusterCapacitySchema>()
        .Errors(Status401Unauthorized, Status403Forbidden);
}
