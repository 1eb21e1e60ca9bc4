using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.VaultRequests;

namespace SessionGrid.Tests.BrowserSessionApi;

/// <summary>
/// The credential vault and the authenticate action through the Browser Session API, against the vault test site
/// on the loopback: real Chromium typing into a real form whose server checks the password and the TOTP code.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class VaultTests(SharedHost shared, TestPages pages)
{
    private readonly BrowserSessionClient _client = shared.Host.SessionClient();

    [Fact]
    public async Task Credentials_are_stored_listed_read_and_deleted_and_no_answer_carries_a_secret()
    {
        var realm = pages.Vault.NewRealm();
        var body = Credential(realm, ["localhost", "*.Example.COM."]);
        body["totpSecret"] = string.Join(' ', realm.TotpSecret.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        var created = await _client.CreateCredentialAsync(body);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json["id"]!.GetValue<string>();
        Assert.True(Guid.TryParseExact(id, "D", out _));
        Assert.Equal(realm.Name, created.Json["name"]!.GetValue<string>());
        Assert.Equal("""["localhost","*.example.com"]""", created.Json["domains"]!.ToJsonString());
        Assert.True(created.Json["hasTotp"]!.GetValue<bool>());
        Assert.True(DateTimeOffset.TryParse(created.Json["createdAt"]!.GetValue<string>(), out _));
        Assert.Equal(["id", "name", "domains", "createdAt", "hasTotp"], created.Json.AsObject().Select(p => p.Key));

        var withoutTotp = await _client.StoreAsync(Credential(realm, totp: false));
        var list = await _client.ListCredentialsAsync();
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = list.Json["credentials"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.True(listed.IndexOf(withoutTotp) < listed.IndexOf(id), "newest first");
        Assert.False(list.Json["credentials"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == withoutTotp)!["hasTotp"]!.GetValue<bool>());

        var read = await _client.GetCredentialAsync(id);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        var deleted = await _client.DeleteCredentialAsync(id);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(id, deleted.Json["id"]!.GetValue<string>());
        Assert.DoesNotContain(id, (await _client.ListCredentialsAsync()).Json["credentials"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteCredentialAsync(id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetCredentialAsync(id)).Status);

        foreach (var answer in new[] { created, list, read, deleted })
        {
            AssertNoSecret(answer, realm);
        }
    }

    [Fact]
    public async Task Another_keys_credential_and_unknown_ids_are_404_everywhere()
    {
        var realm = pages.Vault.NewRealm();
        var id = await _client.StoreAsync(Credential(realm));
        var other = shared.Host.SessionClient(TestKeys.B);

        Assert.DoesNotContain(id, (await other.ListCredentialsAsync()).Json["credentials"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetCredentialAsync(id)).Status);
        var foreignDelete = await other.DeleteCredentialAsync(id);
        Assert.Equal(HttpStatusCode.NotFound, foreignDelete.Status);
        Assert.Equal("application/problem+json", foreignDelete.ContentType);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteCredentialAsync(Guid.NewGuid().ToString())).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteCredentialAsync("not-a-uuid")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetCredentialAsync(id)).Status);

        // Key B's session may not log in with key A's credential: 404, as for one that does not exist; nothing typed.
        var session = await other.OpenAsync();
        var problem = await other.ActionAsync(session, Authenticate("vault", id, Welcome()), pages.At(realm.LoginPath));
        Assert.Equal(HttpStatusCode.NotFound, problem.Status);
        Assert.Equal("credential_not_found", problem.Json["reason"]!.GetValue<string>());
        Assert.Contains($"has no credential '{id}'", problem.Detail);
        var unknown = await other.ActionAsync(session, Authenticate("vault", Guid.NewGuid().ToString(), Welcome()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Empty(realm.Submissions);
    }

    public static TheoryData<string, string> BadCredentials => new()
    {
        { """{"domains": [], "username": "u", "password": "p"}""", "domains must list at least one host name" },
        { """{"username": "u", "password": "p"}""", "domains must list at least one host name" },
        { """{"domains": "example.com", "username": "u", "password": "p"}""", "domains has the wrong type" },
        { """{"domains": ["exa mple.com"], "username": "u", "password": "p"}""", "'exa mple.com' is not a host name" },
        { """{"domains": ["https://example.com/login"], "username": "u", "password": "p"}""", "is not a host name" },
        { """{"domains": ["*"], "username": "u", "password": "p"}""", "is not a host name" },
        { """{"domains": ["*.*.example.com"], "username": "u", "password": "p"}""", "is not a host name" },
        { """{"domains": ["-bad.example.com"], "username": "u", "password": "p"}""", "is not a host name" },
        { """{"domains": ["example.com"], "password": "p"}""", "username is required" },
        { """{"domains": ["example.com"], "username": "", "password": "p"}""", "username is required" },
        { """{"domains": ["example.com"], "username": "u"}""", "password is required" },
        { $$"""{"domains": ["example.com"], "username": "u", "password": "{{new string('p', 1025)}}"}""", "password is required (1 to 1024 characters)" },
        { $$"""{"domains": ["example.com"], "username": "{{new string('u', 513)}}", "password": "p"}""", "username is required (1 to 512 characters)" },
        { """{"domains": ["example.com"], "username": "u", "password": "p", "totpSecret": "not base32 at all!"}""", "totpSecret must be a base32 secret" },
        { """{"domains": ["example.com"], "username": "u", "password": "p", "totpSecret": "JBSWY3DP"}""", "totpSecret must be a base32 secret" },
        { """{"domains": ["example.com"], "username": "u", "password": "p", "totpSecret": 123456}""", "totpSecret has the wrong type" },
        { $$"""{"name": "{{new string('n', 201)}}", "domains": ["example.com"], "username": "u", "password": "p"}""", "name must be at most 200" },
        { """["example.com"]""", "must be a JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task A_bad_credential_is_400_and_stores_nothing(string body, string expected)
    {
        var client = shared.Host.SessionClient(TestKeys.B);
        var before = (await client.ListCredentialsAsync()).Json["credentials"]!.AsArray().Count;
        var response = await client.SendAsync(HttpMethod.Post, Credentials, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains(expected, response.Detail);
        Assert.DoesNotContain("pppp", response.Detail);
        Assert.Equal(before, (await client.ListCredentialsAsync()).Json["credentials"]!.AsArray().Count);
    }

    public static TheoryData<string, string> BadAuthenticateActions => new()
    {
        { """{"type": "authenticate"}""", "authenticate: mode is required" },
        { """{"type": "authenticate", "mode": "magic"}""", "mode must be one of vault, prompt_user, vault_then_prompt (got 'magic')" },
        { """{"type": "authenticate", "mode": "vault", "selectors": {"username": "#u", "password": "#p"}}""", "credentialId is required when mode is vault" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "cred-1", "selectors": {"username": "#u", "password": "#p"}}""", "credentialId must be a credential id (a UUID)" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001"}""", "selectors {username, password, submit?, totp?} are required" },
        { """{"type": "authenticate", "mode": "vault_then_prompt", "credentialId": "00000000-0000-0000-0000-000000000001", "success": {"condition": "text", "value": "Hi"}}""", "selectors {username, password, submit?, totp?} are required" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001", "selectors": {"username": "#u"}}""", "selectors.password is required" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001", "selectors": {"password": "#p"}}""", "selectors.username is required" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001", "selectors": {"username": "#u", "password": ""}}""", "selectors.password must not be empty" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001", "selectors": {"username": "#u", "password": "#p"}, "success": {"condition": "url"}}""", "success.value is required" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001", "selectors": {"username": "#u", "password": "#p"}, "success": {"condition": "soon", "value": "x"}}""", "success.condition must be one of url, selector, text, networkIdle" },
        { """{"type": "authenticate", "mode": "vault", "credentialId": "00000000-0000-0000-0000-000000000001", "selectors": {"username": "#u", "password": "#p"}, "pauseTimeoutMs": 1000}""", "pauseTimeoutMs belongs to prompt_user and vault_then_prompt" },
        { """{"type": "authenticate", "mode": "prompt_user", "credentialId": "00000000-0000-0000-0000-000000000001", "success": {"condition": "text", "value": "Hi"}}""", "prompt_user types nothing" },
        { """{"type": "authenticate", "mode": "prompt_user"}""", "prompt_user needs success with condition url, selector or text" },
        { """{"type": "authenticate", "mode": "prompt_user", "success": {"condition": "networkIdle"}}""", "prompt_user needs success with condition url, selector or text" },
        { """{"type": "authenticate", "mode": "prompt_user", "success": {"condition": "text", "value": "Hi"}, "pauseTimeoutMs": "long"}""", "pauseTimeoutMs must be an integer" },
        // Limits of this server: refused by the session before anything is queued.
        { """{"type": "authenticate", "mode": "prompt_user", "success": {"condition": "text", "value": "Hi", "timeoutMs": 0}}""", "success.timeoutMs must be between 1 and 120000 (got 0)" },
        { """{"type": "authenticate", "mode": "prompt_user", "success": {"condition": "text", "value": "Hi"}, "pauseTimeoutMs": 1800001}""", "pauseTimeoutMs must be between 1 and 1800000 (got 1800001)" },
    };

    [Theory]
    [MemberData(nameof(BadAuthenticateActions))]
    public async Task A_bad_authenticate_action_is_400_and_nothing_of_its_task_runs(string action, string expected)
    {
        var session = await _client.OpenAsync();
        var body = $$"""{"url": "{{pages.Url("/widgets")}}", "actions": [{"type": "click", "selector": "#counter"}, {{action}}]}""";
        var problem = await _client.TaskAsync(session, body);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains(expected, problem.Detail);
        Assert.Equal(1, problem.Json["actionIndex"]!.GetValue<int>());
        Assert.Equal("about:blank", (await _client.GetAsync(session)).Json["url"]!.GetValue<string>());
        await _client.DeleteAsync(session);
    }

    [Fact]
    public async Task A_vault_login_with_totp_gets_past_a_cookie_banner_and_the_session_stays_logged_in()
    {
        var realm = pages.Vault.NewRealm(banner: true);
        var id = await _client.StoreAsync(Credential(realm));
        var session = await _client.OpenAsync();

        var response = await _client.ActionAsync(session, Authenticate("vault", id, Welcome()), pages.At(realm.LoginPath));
        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        Assert.Equal("""[{"type":"authenticate","ok":true,"success":true,"reason":"success"}]""", response.Json["actionResults"]!.ToJsonString());
        var submission = Assert.Single(realm.Submissions);
        Assert.True(submission is { Username: not null, PasswordOk: true, CodeOk: true }, submission.ToString());
        Assert.Equal(realm.Username, submission.Username);

        // Logged in for what follows: the home page greets the user rather than sending them to the login form.
        var home = await _client.TaskAsync(session, new JsonObject
        {
            ["url"] = pages.At(realm.HomePath),
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = "document.querySelector('#welcome')?.id ?? location.pathname" }),
        });
        Assert.Equal("welcome", home.Json["actionResults"]![0]!["value"]!.GetValue<string>());
        AssertNoSecret(response, realm);
    }

    [Fact]
    public async Task A_two_step_login_types_the_code_on_the_page_that_asks_for_it_under_a_wildcard_domain()
    {
        var realm = pages.Vault.NewRealm(twoStep: true);
        var id = await _client.StoreAsync(Credential(realm, ["*.vault.localhost"]));
        var session = await _client.OpenAsync();
        var success = new JsonObject { ["condition"] = "url", ["value"] = "**/vault/*/home" };

        var response = await _client.ActionAsync(session, Authenticate("vault", id, success, submit: false), pages.At(realm.LoginPath, "login.vault.localhost"));
        Assert.True(response.Status == HttpStatusCode.Created, response.Body?.ToJsonString());
        Assert.Equal(["password", "totp"], realm.Submissions.Select(s => s.Step));
        Assert.True(realm.Submissions.All(s => s.PasswordOk) && realm.Submissions.Last().CodeOk);
        Assert.EndsWith(realm.HomePath, response.Json["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_outside_the_credentials_domains_is_422_domain_mismatch_and_gets_nothing_typed()
    {
        var realm = pages.Vault.NewRealm();
        var session = await _client.OpenAsync();
        foreach (var (domains, host) in new[] { (new[] { "*.example.com" }, "localhost"), (new[] { "localhost" }, "127.0.0.1"), (new[] { "*.localhost" }, "localhost") })
        {
            var id = await _client.StoreAsync(Credential(realm, domains));
            var problem = await _client.ActionAsync(session, Authenticate("vault", id, Welcome()), pages.At(realm.LoginPath, host));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.Status);
            Assert.Equal("domain_mismatch", problem.Json["reason"]!.GetValue<string>());
            Assert.Contains($"the page's host '{host}' is not one of the domains", problem.Detail);
            Assert.Equal("authenticate", problem.Json["actionType"]!.GetValue<string>());
            AssertNoSecret(problem, realm);
        }

        Assert.Empty(realm.Submissions);
        Assert.Equal("", await TypedTextAsync(session, "input"));
    }

    [Fact]
    public async Task A_success_condition_that_never_holds_is_408_timeout_and_the_password_is_not_left_in_the_form()
    {
        var realm = pages.Vault.NewRealm();
        var id = await _client.StoreAsync(Credential(realm));
        var session = await _client.OpenAsync();
        var never = new JsonObject { ["condition"] = "text", ["value"] = "You will never see this", ["timeoutMs"] = 1500 };

        var problem = await _client.ActionAsync(session, Authenticate("vault", id, never), pages.At(realm.LoginPath));
        Assert.Equal(HttpStatusCode.RequestTimeout, problem.Status);
        Assert.Equal("timeout", problem.Json["reason"]!.GetValue<string>());
        Assert.Contains("did not hold within 1500 ms", problem.Detail);

        // A form that stays on the page after a failed login (no navigation) is emptied of the password.
        var wrong = await _client.StoreAsync(Credential(realm, password: "not-the-password"));
        var script = "document.querySelector('form').addEventListener('submit', e => e.preventDefault())";
        await _client.TaskAsync(session, new JsonObject
        {
            ["url"] = pages.At(realm.LoginPath),
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "evaluate", ["script"] = script }),
        });
        var stuck = await _client.ActionAsync(session, Authenticate("vault", wrong, Welcome(timeoutMs: 1000)));
        Assert.Equal(HttpStatusCode.RequestTimeout, stuck.Status);
        Assert.Equal("", await TypedTextAsync(session, "#password, #totp"));
    }

    [Fact]
    public async Task Prompt_user_types_nothing_waits_for_a_person_and_times_out_as_408_pause_timeout()
    {
        var person = pages.Vault.NewRealm(humanAfterMs: 1000);
        var session = await _client.OpenAsync();
        var done = await _client.ActionAsync(session, Authenticate("prompt_user", null, Welcome(), pauseTimeoutMs: 30_000), pages.At(person.LoginPath));
        Assert.True(done.Status == HttpStatusCode.Created, done.Body?.ToJsonString());
        var result = Assert.Single(done.Json["actionResults"]!.AsArray())!;
        Assert.Equal(["type", "ok", "success", "reason", "liveUrl"], result.AsObject().Select(p => p.Key));
        Assert.Equal(("authenticate", true, true, "success"), (result["type"]!.GetValue<string>(), result["ok"]!.GetValue<bool>(), result["success"]!.GetValue<bool>(), result["reason"]!.GetValue<string>()));
        Assert.Matches($"^{Regex.Escape(shared.Host.BaseUrl)}/live/{session}\\?t=[0-9a-f]{{64}}&interactive=true$", result["liveUrl"]!.GetValue<string>());
        Assert.Empty(person.Submissions);

        var nobody = pages.Vault.NewRealm();
        var timedOut = await _client.ActionAsync(session, Authenticate("prompt_user", null, Welcome(), pauseTimeoutMs: 1500), pages.At(nobody.LoginPath));
        Assert.Equal(HttpStatusCode.RequestTimeout, timedOut.Status);
        Assert.Equal("pause_timeout", timedOut.Json["reason"]!.GetValue<string>());
        Assert.Contains("nobody completed the login within pauseTimeoutMs (1500 ms", timedOut.Detail);
        Assert.Empty(nobody.Submissions);
    }

    [Fact]
    public async Task Vault_then_prompt_hands_a_foreign_page_or_a_failed_login_to_a_person()
    {
        // A domain mismatch goes straight to the person: nothing is typed.
        var foreign = pages.Vault.NewRealm(humanAfterMs: 1000);
        var elsewhere = await _client.StoreAsync(Credential(foreign, ["*.example.com"]));
        var session = await _client.OpenAsync();
        var handed = await _client.ActionAsync(session, Authenticate("vault_then_prompt", elsewhere, Welcome(), pauseTimeoutMs: 30_000), pages.At(foreign.LoginPath));
        Assert.True(handed.Status == HttpStatusCode.Created, handed.Body?.ToJsonString());
        Assert.StartsWith($"{shared.Host.BaseUrl}/live/{session}?t=", handed.Json["actionResults"]![0]!["liveUrl"]!.GetValue<string>());
        Assert.Empty(foreign.Submissions);

        // A wrong password: the vault tries once, then the person logs in.
        var failing = pages.Vault.NewRealm(humanAfterMs: 5000);
        var wrong = await _client.StoreAsync(Credential(failing, password: "not-the-password"));
        var rescued = await _client.ActionAsync(session, Authenticate("vault_then_prompt", wrong, Welcome(timeoutMs: 1000), pauseTimeoutMs: 30_000), pages.At(failing.LoginPath));
        Assert.True(rescued.Status == HttpStatusCode.Created, rescued.Body?.ToJsonString());
        Assert.Equal("success", rescued.Json["actionResults"]![0]!["reason"]!.GetValue<string>());
        Assert.False(Assert.Single(failing.Submissions).PasswordOk);

        // Nobody comes: pause_timeout, as in prompt_user.
        var nobody = pages.Vault.NewRealm();
        var lost = await _client.StoreAsync(Credential(nobody, password: "not-the-password"));
        var timedOut = await _client.ActionAsync(session, Authenticate("vault_then_prompt", lost, Welcome(timeoutMs: 1000), pauseTimeoutMs: 1000), pages.At(nobody.LoginPath));
        Assert.Equal(HttpStatusCode.RequestTimeout, timedOut.Status);
        Assert.Equal("pause_timeout", timedOut.Json["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_form_fields_are_404_and_a_totp_selector_without_a_secret_is_400_with_nothing_typed()
    {
        var realm = pages.Vault.NewRealm();
        var id = await _client.StoreAsync(Credential(realm, totp: false));
        var session = await _client.OpenAsync();
        var missing = Authenticate("vault", id, Welcome(), totp: false);
        missing["selectors"]!["password"] = "#no-such-field";
        missing["timeoutMs"] = 500;
        var notFound = await _client.ActionAsync(session, missing, pages.At(realm.LoginPath));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        Assert.Equal("field_not_found", notFound.Json["reason"]!.GetValue<string>());

        var noSecret = await _client.ActionAsync(session, Authenticate("vault", id, Welcome()));
        Assert.Equal(HttpStatusCode.BadRequest, noSecret.Status);
        Assert.Equal("no_totp_secret", noSecret.Json["reason"]!.GetValue<string>());
        Assert.Empty(realm.Submissions);
        Assert.Equal("", await TypedTextAsync(session, "input"));
    }

    [Fact]
    public async Task The_task_api_runs_authenticate_as_a_browser_action_with_the_same_results()
    {
        var realm = pages.Vault.NewRealm();
        var id = await _client.StoreAsync(Credential(realm));
        var tasks = shared.Host.Client();
        var session = await tasks.OpenSessionAsync(pages.At(realm.LoginPath));
        var input = new JsonObject
        {
            ["mode"] = "vault",
            ["credential_id"] = id,
            ["selectors"] = new JsonObject { ["username"] = "#username", ["password"] = "#password", ["totp"] = "#totp" },
            ["success"] = new JsonObject { ["condition"] = "url", ["value"] = realm.HomePath, ["timeout_ms"] = 10_000 },
        };
        Assert.Equal(HttpStatusCode.OK, (await tasks.ActionAsync(session, "login", "browser_action", "authenticate", (JsonObject)input.DeepClone())).Status);
        var result = await tasks.WaitForEventAsync(session, "login");
        Assert.Equal(200, result["payload"]!["code"]!.GetValue<int>());
        Assert.Equal("""{"success":true,"reason":"success"}""", result["payload"]!["output"]!["output"]!.ToJsonString());

        // Logged in, the page has no login form any more: the fields are not found (a 400 result, as the Task API reports failures).
        input["timeout_ms"] = 500;
        await tasks.ActionAsync(session, "again", "browser_action", "authenticate", input);
        var failed = await tasks.WaitForEventAsync(session, "again");
        Assert.Equal(400, failed["payload"]!["code"]!.GetValue<int>());
        Assert.StartsWith("field_not_found:", failed["payload"]!["output"]!.GetValue<string>());

        var refused = await tasks.ActionAsync(session, "bad", "browser_action", "authenticate", new JsonObject { ["mode"] = "later" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("authenticate: mode must be one of vault, prompt_user, vault_then_prompt", refused.Detail);

        var events = (await tasks.GetAsync(session)).Body!.ToJsonString();
        Assert.DoesNotContain(realm.Password, events);
        Assert.DoesNotContain(realm.TotpSecret, events);
        Assert.DoesNotContain(realm.Username, events);
    }

    /// <summary>What the page's fields matching <paramref name="selector"/> hold, joined.</summary>
    private async Task<string> TypedTextAsync(string session, string selector)
    {
        var script = $"[...document.querySelectorAll('{selector}')].map(i => i.value).join('')";
        var response = await _client.ActionAsync(session, new JsonObject { ["type"] = "evaluate", ["script"] = script });
        return response.Json["actionResults"]![0]!["value"]!.GetValue<string>();
    }

    private static void AssertNoSecret(BrowserSessionClient.Response response, VaultSite.Realm realm)
    {
        var text = Encoding.UTF8.GetString(response.Bytes);
        Assert.DoesNotContain(realm.Password, text);
        Assert.DoesNotContain(realm.Username, text);
        Assert.DoesNotContain(realm.TotpSecret, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password\"", text);
        Assert.DoesNotContain("totpSecret", text);
        Assert.DoesNotContain("username", text);
    }
}
