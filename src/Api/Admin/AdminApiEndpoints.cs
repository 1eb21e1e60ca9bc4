using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Nodes;
using SessionGrid.Contracts.Tenants;

namespace SessionGrid.Api.Admin;

/// <summary>
/// The admin API under <c>/api/v1/admin</c>: issue, list and revoke tenants' API keys with an admin key (a key is
/// shown once, in the answer that creates it; the store keeps only its hash); drain a node; read the scale signal. Plain camelCase JSON; errors are RFC 7807
/// problem details.
/// </summary>
public static partial class AdminApiEndpoints
{
    public const int MaxNameLength = 64;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/admin").RequireAdminKey(Problem);
        admin.MapPost("/keys", CreateKey).WithDoc(AdminApiDocs.CreateKey);
        admin.MapGet("/keys", ListKeys).WithDoc(AdminApiDocs.ListKeys);
        admin.MapDelete("/keys/{keyId}", RevokeKey).WithDoc(AdminApiDocs.RevokeKey);
        admin.MapPost("/nodes/{name}/drain", DrainNode).WithDoc(AdminApiDocs.DrainNode);
        admin.MapGet("/capacity", Capacity).WithDoc(AdminApiDocs.Capacity);
        return app;
    }

    public static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    /// <summary>
    /// A new key: of its own new tenant (<c>k_</c> and its hash's first digits), or of an existing <c>tenant</c> (a
    /// configured key's or an issued key's, revoked or not), so a customer can move to a new key and revoke the old.
    /// </summary>
    private static async Task<Results<JsonHttpResult<JsonObject>, ProblemHttpResult>> CreateKey(HttpContext http, IGrainFactory grains, ApiKeyRegistry configured, IOptions<ApiOptions> options)
    {
        var body = await JsonBody.ReadAsync<CreateKeyRequest>(http.Request, options.Value.MaxBodyBytes, Json, allowEmpty: true);
        if (!body.Ok)
        {
            return Problem(body.Status, body.Error!);
        }

        var (name, tenant) = (body.Value!.Name, body.Value.Tenant);
        if (name is not null && !KeyName().IsMatch(name))
        {
            return Problem(StatusCodes.Status400BadRequest,
                $"name must be 1 to {MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit (it names the key's limits in configuration)");
        }

        if (tenant is not null && !(ApiKeyHash.IsTenantForm(tenant) && (configured.HasTenant(tenant) || await IsIssuedTenantAsync(grains, tenant))))
        {
            return Problem(StatusCodes.Status400BadRequest,
                $"tenant '{Text.Shorten(tenant)}' is no key's tenant: give the tenant of an existing key (k_…), or none for a new tenant");
        }

        var key = ApiKeyHash.NewKey();
        var hash = ApiKeyHash.Of(key);
        var created = await grains.GetGrain<IApiKeyGrain>(hash).CreateAsync(tenant ?? ApiKeyHash.TenantOf(hash), name);
        if (created is null)
        {
            return Problem(StatusCodes.Status409Conflict, "the key store is full: it holds the most keys it may (revoked ones count)");
        }

        var answer = Describe(created);
        answer["key"] = key;
        return TypedResults.Json(answer, Json, statusCode: StatusCodes.Status201Created);
    }

    /// <summary><c>{"keys": [...]}</c>, newest first, revoked ones included; never a key.</summary>
    private static async Task<JsonHttpResult<JsonObject>> ListKeys(IGrainFactory grains)
    {
        var hashes = await Index(grains).ListAsync();
        var keys = await Task.WhenAll(hashes.Reverse().Select(hash => grains.GetGrain<IApiKeyGrain>(hash).DescribeAsync()));
        return TypedResults.Json(new JsonObject { ["keys"] = new JsonArray([.. keys.OfType<ApiKeyInfo>().Select(k => (JsonNode)Describe(k))]) }, Json);
    }

    /// <summary>Revokes the key (again is fine): from the next request on, it answers 401 on every node.</summary>
    private static async Task<Results<JsonHttpResult<JsonObject>, ProblemHttpResult>> RevokeKey(string keyId, IGrainFactory grains)
    {
        var hash = KeyId().IsMatch(keyId) ? (await Index(grains).ListAsync()).FirstOrDefault(h => ApiKeyIds.Of(h) == keyId) : null;
        var revoked = hash is null ? null : await grains.GetGrain<IApiKeyGrain>(hash).RevokeAsync();
        return revoked is null
            ? Problem(StatusCodes.Status404NotFound, $"key '{Text.Shorten(keyId)}' was not found")
            : TypedResults.Json(Describe(revoked), Json);
    }

    /// <summary>
    /// Starts the drain of the node named <paramref name="name"/> (its silo name, the console's and dat.ai's node id):
    /// 202 with the drain as it stands, also when it already drains (<c>alreadyDraining</c>); 404 for no live node.
    /// </summary>
    private static async Task<Results<JsonHttpResult<JsonObject>, ProblemHttpResult>> DrainNode(string name, IGrainFactory grains)
    {
        var state = await grains.GetGrain<INodeBoardGrain>(0).DrainAsync(name);
        return state is null
            ? Problem(StatusCodes.Status404NotFound, $"no live node is named '{Text.Shorten(name)}' (GET /api/v1/console/nodes lists them)")
            : TypedResults.Json(new JsonObject
            {
                ["node"] = state.Node,
                ["draining"] = true,
                ["alreadyDraining"] = state.AlreadyDraining,
                ["startedAt"] = WireTime.Iso(state.StartedAt),
                ["deadline"] = WireTime.Iso(state.Deadline),
                ["sessions"] = state.Sessions,
            }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The scale signal: <c>{silos, capacity, busy, waiting, desired}</c> (<see cref="ScaleSignal"/>).</summary>
    private static async Task<JsonHttpResult<JsonObject>> Capacity(ClusterScale scale)
    {
        var signal = await scale.ReadAsync();
        return TypedResults.Json(new JsonObject
        {
            ["silos"] = signal.Silos,
            ["capacity"] = signal.Capacity,
            ["busy"] = signal.Busy,
            ["waiting"] = signal.Waiting,
            ["desired"] = signal.Desired,
        }, Json);
    }

    private static async Task<bool> IsIssuedTenantAsync(IGrainFactory grains, string tenant) =>
        (await Index(grains).ListAsync()).Any(hash => ApiKeyHash.TenantOf(hash) == tenant);

    private static IApiKeyIndexGrain Index(IGrainFactory grains) => grains.GetGrain<IApiKeyIndexGrain>(ApiKeyIds.IndexKey);

    private static JsonObject Describe(ApiKeyInfo key) => new()
    {
        ["id"] = key.Id,
        ["name"] = key.Name,
        ["tenant"] = key.Tenant,
        ["createdAt"] = WireTime.Iso(key.CreatedAt),
        ["revoked"] = key.Revoked,
        ["revokedAt"] = key.RevokedAt is { } at ? WireTime.Iso(at) : null,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^key_[0-9a-f]{24}$")]
    private static partial Regex KeyId();
}

/// <summary>Body of <c>POST /api/v1/admin/keys</c> (every field optional).</summary>
public sealed record CreateKeyRequest(string? Name, string? Tenant);
