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
