using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Credentials;
using static SessionGrid.Api.BrowserSessionApi.BrowserSessionWire;

namespace SessionGrid.Api.BrowserSessionApi;

/// <summary>
/// The credential vault of the Browser Session API under <c>/api/v1/browser/credentials</c>: store a login for
/// <c>authenticate</c> to type, list and delete them. Secrets go in once and never come back out: every answer
/// describes a credential by id, name, domains, creation time and whether it has a TOTP secret (not even the username).
/// </summary>
public static class CredentialEndpoints
{
    public static RouteGroupBuilder MapCredentials(this RouteGroupBuilder api)
    {
        api.MapPost("/credentials", CreateCredential).WithDoc(BrowserSessionApiDocs.CreateCredential);
        api.MapGet("/credentials", ListCredentials).WithDoc(BrowserSessionApiDocs.ListCredentials);
        api.MapGet("/credentials/{credentialId}", GetCredential).WithDoc(BrowserSessionApiDocs.GetCredential);
        api.MapDelete("/credentials/{credentialId}", DeleteCredential).WithDoc(BrowserSessionApiDocs.DeleteCredential);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateCredential(HttpContext http, IGrainFactory grains, IOptions<ApiOptions> options)
    {
        var body = await JsonBody.ReadAsync<CreateCredentialRequest>(http.Request, options.Value.MaxBodyBytes, JsonOptions);
        if (!body.Ok)
        {
            return Problem(body.Status, body.Error!);
        }

        var request = body.Value!;
        var credential = new NewCredential(request.Name, request.Domains ?? [], request.Username ?? "", request.Password ?? "", request.TotpSecret);
        if (CredentialRules.Problem(credential) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var id = Ids.Uuid();
        var reply = await Credential(grains, http, id).CreateAsync(credential);
        return reply switch
        {
            { Credential: { } stored } => Ok(Describe(stored), StatusCodes.Status201Created),
            { Refusal: CredentialRefusal.LimitReached } => Problem(StatusCodes.Status409Conflict, reply.Reason!),
            _ => Problem(StatusCodes.Status400BadRequest, reply.Reason!),
        };
    }

    /// <summary><c>{"credentials": [...]}</c>, newest first.</summary>
    private static async Task<JsonHttpResult<JsonObject>> ListCredentials(HttpContext http, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ICredentialIndexGrain>(Caller.Tenant(http)).ListAsync();
        var credentials = await Task.WhenAll(ids.Reverse().Select(id => Credential(grains, http, id).DescribeAsync()));
        return Ok(new JsonObject { ["credentials"] = new JsonArray([.. credentials.OfType<CredentialInfo>().Select(Describe)]) });
    }

    private static async Task<JsonHttpResult<JsonObject>> GetCredential(string credentialId, HttpContext http, IGrainFactory grains) =>
        await FindAsync(grains, http, credentialId) is { } credential ? Ok(Describe(credential)) : NotFound(credentialId);

    /// <summary>Deletes the caller's credential and answers 200 with what was deleted (as deleting a session does).</summary>
    private static async Task<JsonHttpResult<JsonObject>> DeleteCredential(string credentialId, HttpContext http, IGrainFactory grains)
    {
        var credential = await FindAsync(grains, http, credentialId);
        return credential is not null && await Credential(grains, http, credentialId).DeleteAsync() ? Ok(Describe(credential)) : NotFound(credentialId);
    }

    /// <summary>The caller's credential; null for an unknown id, another key's, or one that is not a UUID (all answer 404).</summary>
    private static async Task<CredentialInfo?> FindAsync(IGrainFactory grains, HttpContext http, string credentialId) =>
        Guid.TryParseExact(credentialId, "D", out _) ? await Credential(grains, http, credentialId).DescribeAsync() : null;

    private static ICredentialGrain Credential(IGrainFactory grains, HttpContext http, string credentialId) =>
        grains.GetGrain<ICredentialGrain>(CredentialKey.Of(Caller.Tenant(http), credentialId));

    private static JsonObject Describe(CredentialInfo credential) => new()
    {
        ["id"] = credential.Id,
        ["name"] = credential.Name,
        ["domains"] = new JsonArray([.. credential.Domains.Select(d => (JsonNode?)d)]),
        ["createdAt"] = WireTime.Iso(credential.CreatedAt),
        ["hasTotp"] = credential.HasTotp,
    };

    private static JsonHttpResult<JsonObject> NotFound(string credentialId) =>
        Problem(StatusCodes.Status404NotFound, $"credential '{Text.Shorten(credentialId)}' was not found");
}

/// <summary>Body of <c>POST /api/v1/browser/credentials</c>. Its <see cref="ToString"/> shows no secret.</summary>
public sealed record CreateCredentialRequest(string? Name, string[]? Domains, string? Username, string? Password, string? TotpSecret)
{
    public override string ToString() => $"CreateCredentialRequest {{ Name = {Name}, Domains = [{string.Join(", ", Domains ?? [])}], secrets redacted }}";
}
