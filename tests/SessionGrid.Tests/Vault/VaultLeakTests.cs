using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.VaultRequests;

namespace SessionGrid.Tests.Vault;

/// <summary>
/// The whole vault flow, its failures included, on a host that logs everything (Trace) into the test: afterwards no
/// password, TOTP secret, TOTP code or username appears in the log, in any response, in a task's events, or in the
/// data folder's store.
/// </summary>
public sealed class VaultLeakTests(TestPages pages)
{
    private readonly List<string> _answers = [];

    [Fact]
    public async Task No_secret_reaches_the_log_a_response_an_event_or_the_store()
    {
        var console = new StringWriter();
        var settings = new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Trace" };
        var realm = pages.Vault.NewRealm(banner: true);
        var twoStep = pages.Vault.NewRealm(twoStep: true);
        const string WrongPassword = "wrong-Pa55word-that-must-not-leak";
        var taskIds = new List<string>();
        string dataDir;
        await using (var host = await SessionGridHost.StartAsync(settings: settings, console: console))
        {
            dataDir = host.DataDir;
            var client = host.SessionClient();
            var good = await client.StoreAsync(Credential(realm));
            var twoStepId = await client.StoreAsync(Credential(twoStep));
            var wrong = await client.StoreAsync(Credential(realm, password: WrongPassword));
            var foreign = await client.StoreAsync(Credential(realm, ["*.example.com"]));
            Keep(await client.ListCredentialsAsync());

            // Refused creations that carry secrets in their fields.
            Keep(await client.CreateCredentialAsync(Credential(realm, domains: [])));
            var badTotp = Credential(realm);
            badTotp["totpSecret"] = realm.Password;
            Keep(await client.CreateCredentialAsync(badTotp));
            Keep(await client.CreateCredentialAsync(Credential(realm, password: new string('x', 2000))));

            var session = await client.OpenAsync();
            taskIds.Add(session);
            var login = pages.At(realm.LoginPath);
            Keep(await client.ActionAsync(session, Authenticate("vault", good, Welcome()), login), HttpStatusCode.Created);
            Keep(await client.ActionAsync(session, Authenticate("vault", twoStepId, Welcome(), submit: false), pages.At(twoStep.LoginPath)), HttpStatusCode.Created);
            Keep(await client.ActionAsync(session, Authenticate("vault", foreign, Welcome()), login), HttpStatusCode.UnprocessableEntity);
            Keep(await client.ActionAsync(session, Authenticate("vault", wrong, Welcome(timeoutMs: 1000)), login), HttpStatusCode.RequestTimeout);
            Keep(await client.ActionAsync(session, Authenticate("vault_then_prompt", wrong, Welcome(timeoutMs: 1000), pauseTimeoutMs: 500), login), HttpStatusCode.RequestTimeout);
            Keep(await client.ActionAsync(session, Authenticate("prompt_user", null, Welcome(), pauseTimeoutMs: 500), login), HttpStatusCode.RequestTimeout);
            var broken = Authenticate("vault", good, Welcome());
            broken["selectors"]!["submit"] = "#signin >> nth=5";
            broken["timeoutMs"] = 1000;
            Keep(await client.ActionAsync(session, broken, login), HttpStatusCode.NotFound);
            Keep(await client.ActionAsync(session, new JsonObject { ["type"] = "content" }));

            // The Task API: the same action as browser_action events, a success and a failure.
            var tasks = host.Client();
            var taskSession = await tasks.OpenSessionAsync(login);
            taskIds.Add(taskSession);
            var input = new JsonObject
            {
                ["mode"] = "vault",
                ["credentialId"] = good,
                ["selectors"] = new JsonObject { ["username"] = "#username", ["password"] = "#password", ["totp"] = "#totp", ["submit"] = "#signin" },
                ["success"] = new JsonObject { ["condition"] = "text", ["value"] = "Welcome", ["timeoutMs"] = 10_000 },
            };
            await tasks.ActionAsync(taskSession, "ok", "browser_action", "authenticate", (JsonObject)input.DeepClone());
            await tasks.WaitForEventAsync(taskSession, "ok");
            input["credentialId"] = wrong;
            input["timeoutMs"] = 1000;
            await tasks.ActionAsync(taskSession, "wrong", "browser_action", "authenticate", input);
            await tasks.WaitForEventAsync(taskSession, "wrong");
            _answers.Add((await tasks.GetAsync(taskSession)).Body!.ToJsonString());

            var grains = host.Services.GetRequiredService<IGrainFactory>();
            foreach (var id in taskIds)
            {
                _answers.Add(JsonSerializer.Serialize(await grains.GetGrain<ITaskGrain>(id).GetAsync(0, includeEvents: true)));
            }
        }

        var log = console.ToString();
        Assert.Contains("Stored credential", log);
        Assert.Contains("authenticate (Vault, credential", log);
        Assert.Contains("ended domain_mismatch", log);
        Assert.Contains("Trace", log);

        var codes = realm.CodesReceived.Concat(twoStep.CodesReceived).Distinct().ToList();
        Assert.True(realm.Submissions.Count(s => s.CodeOk) >= 2 && twoStep.Submissions.Any(s => s.CodeOk), "the site received the codes the vault typed");
        string[] secrets = [realm.Password, realm.Username, realm.TotpSecret, twoStep.Password, twoStep.Username, twoStep.TotpSecret, WrongPassword];
        var store = Directory.EnumerateFiles(dataDir).Where(f => !f.EndsWith("vault.key", StringComparison.Ordinal))
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f)));
        foreach (var (place, text) in new[] { ("the log", log) }.Concat(_answers.Select(a => ("a response or record", a))).Concat(store.Select(s => ("the store", s))))
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{place} holds a secret");
            }

            foreach (var code in codes)
            {
                Assert.False(Regex.IsMatch(text, $"(?<![0-9]){code}(?![0-9])"), $"{place} holds the TOTP code {code}");
            }
        }

        Directory.Delete(dataDir, recursive: true);
    }

    private void Keep(BrowserSessionClient.Response response, HttpStatusCode? expected = null)
    {
        if (expected is { } status)
        {
            Assert.True(response.Status == status, $"{response.Status}: {response.Body?.ToJsonString()}");
        }

        _answers.Add(Encoding.UTF8.GetString(response.Bytes));
    }
}
