using System.Net;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>The vault's requests as a Browser Session API client sends them: credentials and authenticate actions for a <see cref="VaultSite"/> realm.</summary>
public static class VaultRequests
{
    public const string Credentials = "/api/v1/browser/credentials";

    /// <summary>A credential body for <paramref name="realm"/>'s account (its TOTP secret too, unless <paramref name="totp"/> is false).</summary>
    public static JsonObject Credential(VaultSite.Realm realm, string[]? domains = null, bool totp = true, string? password = null) => new()
    {
        ["name"] = realm.Name,
        ["domains"] = new JsonArray([.. (domains ?? ["localhost"]).Select(d => (JsonNode?)d)]),
        ["username"] = realm.Username,
        ["password"] = password ?? realm.Password,
        ["totpSecret"] = totp ? realm.TotpSecret : null,
    };

    public static Task<BrowserSessionClient.Response> CreateCredentialAsync(this BrowserSessionClient client, JsonObject body) =>
        client.SendAsync(HttpMethod.Post, Credentials, body.ToJsonString());

    /// <summary>Stores a credential and returns its id.</summary>
    public static async Task<string> StoreAsync(this BrowserSessionClient client, JsonObject body)
    {
        var response = await client.CreateCredentialAsync(body);
        Assert.True(response.Status == HttpStatusCode.Created, $"{response.Status}: {response.Body?.ToJsonString()}");
        return response.Json["id"]!.GetValue<string>();
    }

    public static Task<BrowserSessionClient.Response> ListCredentialsAsync(this BrowserSessionClient client) =>
        client.SendAsync(HttpMethod.Get, Credentials, (string?)null);

    public static Task<BrowserSessionClient.Response> GetCredentialAsync(this BrowserSessionClient client, string id) =>
        client.SendAsync(HttpMethod.Get, $"{Credentials}/{id}", (string?)null);

    public static Task<BrowserSessionClient.Response> DeleteCredentialAsync(this BrowserSessionClient client, string id) =>
        client.SendAsync(HttpMethod.Delete, $"{Credentials}/{id}", (string?)null);

    /// <summary>An authenticate action for the realm's login form (fields #username, #password, #totp, button #signin).</summary>
    public static JsonObject Authenticate(string mode, string? credentialId, JsonObject? success, bool totp = true, bool submit = true, int? pauseTimeoutMs = null)
    {
        var action = new JsonObject { ["type"] = "authenticate", ["mode"] = mode };
        if (credentialId is not null)
        {
            action["credentialId"] = credentialId;
            action["selectors"] = new JsonObject
            {
                ["username"] = "#username",
                ["password"] = "#password",
                ["totp"] = totp ? "#totp" : null,
                ["submit"] = submit ? "#signin" : null,
            };
        }

        if (success is not null)
        {
            action["success"] = success;
        }

        if (pauseTimeoutMs is not null)
        {
            action["pauseTimeoutMs"] = pauseTimeoutMs;
        }

        return action;
    }

    /// <summary>Success: the realm's home page greets the user.</summary>
    public static JsonObject Welcome(int? timeoutMs = null) => new() { ["condition"] = "selector", ["value"] = "#welcome", ["timeoutMs"] = timeoutMs };

    /// <summary>A test page's URL under another host name of the loopback (<c>localhost</c>, <c>login.vault.localhost</c>…).</summary>
    public static string At(this TestPages pages, string path, string host = "localhost") => $"http://{host}:{new Uri(pages.BaseUrl).Port}{path}";
}
