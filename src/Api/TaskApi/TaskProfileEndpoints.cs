using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Auth;
using SessionGrid.Api.Http;
using SessionGrid.Api.OpenApi;
using SessionGrid.Contracts.Common;
using SessionGrid.Contracts.Profiles;
using static SessionGrid.Api.TaskApi.TaskApiEndpoints;

namespace SessionGrid.Api.TaskApi;

/// <summary>
/// Task API profiles (<c>specs/smooth-task-api.md</c> §2.6–2.8, §3.7): create one (a custom id or a generated
/// one), list them with what they hold (no cookie values), delete one. Tasks use them through <c>profile_id</c>.
/// </summary>
public static class TaskProfileEndpoints
{
    public static RouteGroupBuilder MapTaskProfiles(this RouteGroupBuilder api)
    {
        api.MapPost("/profile", CreateProfile).WithDoc(TaskApiDocs.CreateProfile);
        api.MapGet("/profile", ListProfiles).WithDoc(TaskApiDocs.ListProfiles);
        api.MapDelete("/profile/{profileId}", DeleteProfile).WithDoc(TaskApiDocs.DeleteProfile);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateProfile(HttpContext http, IGrainFactory grains, IOptions<ApiOptions> options)
    {
        var body = await JsonBody.ReadAsync<ProfileRequest>(http.Request, options.Value.MaxBodyBytes, TaskApiWire.Json, allowEmpty: true);
        if (!body.Ok)
        {
            return Detail(body.Status, body.Error!);
        }

        var id = body.Value?.Id ?? Ids.New("profile_");
        if (!ProfileKey.IsValidId(id))
        {
            return Detail(StatusCodes.Status400BadRequest, ProfileKey.InvalidId("id"));
        }

        return await Profile(grains, http, id).CreateAsync() switch
        {
            ProfileRefusal.None => Envelope(new JsonObject { ["id"] = id }),
            ProfileRefusal.Exists => Detail(StatusCodes.Status409Conflict, $"a profile with id '{id}' already exists"),
            _ => Detail(StatusCodes.Status403Forbidden, "this API key already holds as many profiles as it may; delete one first"),
        };
    }

    /// <summary><c>{"r": [ProfileResponse, …]}</c>, newest first.</summary>
    private static async Task<JsonHttpResult<JsonObject>> ListProfiles(HttpContext http, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IProfileIndexGrain>(Caller.Tenant(http)).ListAsync();
        var profiles = await Task.WhenAll(ids.Reverse().Select(id => Profile(grains, http, id).DescribeAsync()));
        return Envelope(new JsonArray([.. profiles.OfType<ProfileInfo>().Select(Describe)]));
    }

    private static async Task<JsonHttpResult<JsonObject>> DeleteProfile(string profileId, HttpContext http, IGrainFactory grains)
    {
        if (!ProfileKey.IsValidId(profileId))
        {
            return Detail(StatusCodes.Status400BadRequest, ProfileKey.InvalidId("the profile id"));
        }

        return await Profile(grains, http, profileId).DeleteAsync() switch
        {
            ProfileRefusal.None => Envelope(true),
            ProfileRefusal.Busy => Detail(StatusCodes.Status409Conflict, $"profile '{profileId}' is in use by a running session that saves to it; close that session first"),
            _ => Detail(StatusCodes.Status404NotFound, $"profile '{profileId}' was not found"),
        };
    }

    /// <summary>
    /// The profile a task asks for: <c>profile_id</c>, or the SDK's deprecated <c>session_id</c> mirror of it.
    /// Null use when neither is given; an error when the id is malformed or the two disagree.
    /// </summary>
    public static (ProfileUse? Use, string? Error) Use(TaskRequest request)
    {
        if (request.ProfileId is not null && request.SessionId is not null && request.ProfileId != request.SessionId)
        {
            return (null, "profile_id and session_id (its deprecated alias) name different profiles");
        }

        return (request.ProfileId ?? request.SessionId) switch
        {
            null => (null, null),
            var id when !ProfileKey.IsValidId(id) => (null, ProfileKey.InvalidId("profile_id")),
            var id => (new ProfileUse(id, request.ProfileReadOnly ?? false), null),
        };
    }

    private static IProfileGrain Profile(IGrainFactory grains, HttpContext http, string profileId) =>
        grains.GetGrain<IProfileGrain>(ProfileKey.Of(Caller.Tenant(http), profileId));

    private static JsonObject Describe(ProfileInfo profile) => new()
    {
        ["id"] = profile.Id,
        ["cookie_domains"] = new JsonArray([.. profile.CookieDomains.Select(d => (JsonNode?)d)]),
        ["cookie_count"] = profile.CookieCount,
        ["profile_size_bytes"] = profile.SizeBytes,
        ["last_saved_at"] = profile.LastSavedAt / 1000,
    };
}

/// <summary><c>POST /profile</c> body: an optional custom id.</summary>
public sealed class ProfileRequest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
}
