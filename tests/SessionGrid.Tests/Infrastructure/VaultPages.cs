using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SessionGrid.Contracts.Credentials;
using SessionGrid.Grains.Vault;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// A login site for the vault tests, under <c>/vault/{realm}/</c>: each test makes its own realm, an account with a
/// random username, password and TOTP secret. The server checks all three (the code computed from the same secret, the
/// current or previous 30 s step), records every submission, and keeps the login in a cookie.
/// </summary>
public sealed class VaultSite
{
    private readonly ConcurrentDictionary<string, Realm> _realms = new();

    /// <summary>One account and how its login page behaves.</summary>
    /// <param name="Banner">The login page opens under a cookie banner that blocks clicks until "Accept all".</param>
    /// <param name="TwoStep">The TOTP code is asked on a second page, after username and password.</param>
    /// <param name="HumanAfterMs">A "person" logs in by themselves this long after the login page opened.</param>
    public sealed record Realm(string Name, string Username, string Password, string TotpSecret, bool Banner, bool TwoStep, int? HumanAfterMs)
    {
        public string SessionToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        public ConcurrentQueue<Submission> Submissions { get; } = new();

        public string LoginPath => $"/vault/{Name}/login";

        public string HomePath => $"/vault/{Name}/home";

        /// <summary>The codes the site received, for the tests that look for them where they must not be.</summary>
        public IEnumerable<string> CodesReceived => Submissions.Select(s => s.Code).OfType<string>();
    }

    /// <summary>What the site received from one form submission (the password only as right or wrong).</summary>
    public sealed record Submission(string Step, string? Username, bool PasswordOk, string? Code, bool CodeOk);

    public Realm NewRealm(bool banner = false, bool twoStep = false, int? humanAfterMs = null)
    {
        var name = "r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var realm = new Realm(
            name,
            $"user-{name}@example.test",
            "pw-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            Base32.Encode(RandomNumberGenerator.GetBytes(20)),
            banner,
            twoStep,
            humanAfterMs);
        _realms[name] = realm;
        return realm;
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/vault/{realm}/login", (string realm) => Find(realm) is { } r ? LoginPage(r, null) : Results.NotFound());
        app.MapPost("/vault/{realm}/login", async (string realm, HttpRequest request) =>
        {
            if (Find(realm) is not { } r)
            {
                return Results.NotFound();
            }

            var form = await request.ReadFormAsync();
            var username = form["username"].ToString();
            var passwordOk = username == r.Username && form["password"] == r.Password;
            var code = r.TwoStep ? null : form["totp"].ToString();
            var codeOk = code is not null && IsCurrent(r, code);
            r.Submissions.Enqueue(new Submission("password", username, passwordOk, code, codeOk));
            if (!passwordOk || (!r.TwoStep && !codeOk))
            {
                return LoginPage(r, "Wrong username, password or code");
            }

            return r.TwoStep ? TotpPage(r, request.HttpContext) : SignedIn(r, request.HttpContext);
        });
        app.MapPost("/vault/{realm}/totp", async (string realm, HttpRequest request) =>
        {
            if (Find(realm) is not { } r || request.Cookies[$"pending_{r.Name}"] != r.SessionToken)
            {
                return Results.NotFound();
            }

            var code = (await request.ReadFormAsync())["totp"].ToString();
            var codeOk = IsCurrent(r, code);
            r.Submissions.Enqueue(new Submission("totp", null, true, code, codeOk));
            return codeOk ? SignedIn(r, request.HttpContext) : Page("Verify", "<p id=\"error\">Wrong code</p>");
        });
        app.MapGet("/vault/{realm}/home", (string realm, HttpRequest request) =>
        {
            if (Find(realm) is not { } r)
            {
                return Results.NotFound();
            }

            var signedIn = request.Cookies[$"session_{r.Name}"] == r.SessionToken || (r.HumanAfterMs is not null && request.Query["as"] == "human");
            return signedIn
                ? Page("Home", $"<h1 id=\"welcome\">Welcome, {WebUtility.HtmlEncode(r.Username)}</h1>")
                : Results.Redirect(r.LoginPath);
        });
    }

    private Realm? Find(string name) => _realms.TryGetValue(name, out var realm) ? realm : null;

    /// <summary>The code of now or of the step before: the common tolerance for a code typed at a step's end.</summary>
    private static bool IsCurrent(Realm realm, string code)
    {
        var now = DateTimeOffset.UtcNow;
        return code == Totp.Code(realm.TotpSecret, now) || code == Totp.Code(realm.TotpSecret, now.AddSeconds(-Totp.StepSeconds));
    }

    private static IResult LoginPage(Realm realm, string? error)
    {
        var totp = realm.TwoStep ? "" : "<label>Code <input id=\"totp\" name=\"totp\" inputmode=\"numeric\" autocomplete=\"one-time-code\"></label>";
        var banner = realm.Banner
            ? """
              <div id="consent" style="position:fixed;inset:0;background:rgba(0,0,0,.6);z-index:10">
                <div style="background:#fff;margin:100px auto;width:400px;padding:20px">
                  <p>We use cookies to make this site work.</p>
                  <button id="consent-settings">Settings</button>
                  <button onclick="document.getElementById('consent').remove()">Accept all</button>
                </div>
              </div>
              """
            : "";
        var human = realm.HumanAfterMs is { } ms ? $"<script>setTimeout(() => location.href = '{realm.HomePath}?as=human', {ms});</script>" : "";
        return Page("Sign in", $"""
            {(error is null ? "" : $"<p id=\"error\">{error}</p>")}
            <form method="post" action="{realm.LoginPath}">
              <label>Email <input id="username" name="username" autocomplete="username"></label>
              <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
              {totp}
              <button id="signin" type="submit">Sign in</button>
            </form>
            {banner}{human}
            """);
    }

    private static IResult TotpPage(Realm realm, HttpContext http)
    {
        http.Response.Cookies.Append($"pending_{realm.Name}", realm.SessionToken);
        return Page("Verify", $"""
            <form method="post" action="/vault/{realm.Name}/totp">
              <label>Code from your app <input id="totp" name="totp" inputmode="numeric"></label>
              <button id="verify" type="submit">Verify</button>
            </form>
            """);
    }

    private static IResult SignedIn(Realm realm, HttpContext http)
    {
        http.Response.Cookies.Append($"session_{realm.Name}", realm.SessionToken);
        return Results.Redirect(realm.HomePath);
    }

    private static IResult Page(string title, string body) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html");
}
