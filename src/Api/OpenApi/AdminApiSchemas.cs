using System.ComponentModel;

namespace SessionGrid.Api.OpenApi;

// The admin API's bodies as the OpenAPI document shows them (camelCase JSON). Schema only: the handlers build these
// shapes as JSON (AdminApiEndpoints), and the OpenAPI test checks that the document and the routes agree.

[Description("An issued key, without the key.")]
public sealed record ApiKeySchema(
    [property: Description("key_ and 24 hex digits; what DELETE takes")] string Id,
    string? Name,
    [property: Description("The tenant the key speaks for (k_ and 24 hex digits)")] string Tenant,
    DateTimeOffset CreatedAt,
    bool Revoked,
    DateTimeOffset? RevokedAt);

[Description("A new key: the key itself is in this answer only, never again.")]
public sealed record CreatedApiKey(
    string Id,
    [property: Description("The key (sg_…): send it as the apikey header or Authorization: Bearer")] string Key,
    string? Name,
    string Tenant,
    DateTimeOffset CreatedAt,
    bool Revoked,
    DateTimeOffset? RevokedAt);

public sealed record ApiKeyList([property: Description("Newest first")] IReadOnlyList<ApiKeySchema> Keys);

[Description("A node's drain as it stands.")]
public sealed record NodeDrainSchema(
    [property: Description("The node's name (its silo name)")] string Node,
    [property: Description("Always true: the node takes no new session")] bool Draining,
    [property: Description("True when the node already drained before this request (the answer is the same drain)")] bool AlreadyDraining,
    DateTimeOffset StartedAt,
    [property: Description("When what is left ends node_draining: startedAt + SessionGrid:Node:DrainSeconds")] DateTimeOffset Deadline,
    [property: Description("Sessions the node still holds or queues")] int Sessions);

[Description("How many silos the cluster needs: desired = max(1, ceil((busy + waiting) / (per-silo capacity × SessionGrid:Cluster:TargetUtilisation))).")]
public sealed record ClusterCapacitySchema(
    [property: Description("Live silos that do not drain")] int Silos,
    [property: Description("Their browser contexts in all (SessionGrid:Browser:MaxContexts each)")] int Capacity,
    [property: Description("Sessions holding a browser context, on every silo (draining ones too)")] int Busy,
    [property: Description("Sessions queued for a context, on every silo")] int Waiting,
    [property: Description("The silos the cluster needs; an autoscaler's target")] int Desired);
