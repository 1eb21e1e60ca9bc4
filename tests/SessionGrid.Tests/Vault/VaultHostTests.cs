using System.Net;
using System.Security.Cryptography;
using System.Text;
using SessionGrid.Grains.Vault;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;
using static SessionGrid.Tests.Infrastructure.VaultRequests;

namespace SessionGrid.Tests.Vault;

/// <summary>The vault across a host's life: its key file, a restart on the same data folder, another key, the per-key limit, cluster mode without a key.</summary>
public sealed class VaultHostTests(TestPages pages)
{
    [Fact]
    public async Task The_key_file_is_owner_only_a_restarted_host_opens_older_credentials_and_the_store_holds_only_ciphertext()
    {
        var realm = pages.Vault.NewRealm();
        string id;
        string dataDir;
        await using (var host = await SessionGridHost.StartAsync())
        {
            dataDir = host.DataDir;
            var keyFile = Path.Combine(dataDir, VaultKey.FileName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            id = await host.SessionClient().StoreAsync(Credential(realm));
        }

        var key = File.ReadAllText(Path.Combine(dataDir, VaultKey.FileName));
        foreach (var file in Directory.EnumerateFiles(dataDir).Where(f => !f.EndsWith(VaultKey.FileName, StringComparison.Ordinal)))
        {
            var bytes = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain(realm.Password, bytes);
            Assert.DoesNotContain(realm.Username, bytes);
            Assert.DoesNotContain(realm.TotpSecret, bytes);
        }

        await using (var restarted = await SessionGridHost.StartAsync(dataDir))
        {
            Assert.Equal(key, File.ReadAllText(Path.Combine(dataDir, VaultKey.FileName)));
            var client = restarted.SessionClient();
            var session = await client.OpenAsync();
            var login = await client.ActionAsync(session, Authenticate("vault", id, Welcome()), pages.At(realm.LoginPath));
            Assert.True(login.Status == HttpStatusCode.Created, login.Body?.ToJsonString());
            Assert.True(Assert.Single(realm.Submissions).CodeOk);
        }

        // Started with another key, the host cannot open the credential: 422, nothing typed.
        var otherKey = new Dictionary<string, string> { [VaultKey.Setting] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        await using (var rekeyed = await SessionGridHost.StartAsync(dataDir, otherKey))
        {
            var client = rekeyed.SessionClient();
            var session = await client.OpenAsync();
            var problem = await client.ActionAsync(session, Authenticate("vault", id, Welcome()), pages.At(realm.LoginPath));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.Status);
            Assert.Equal("credential_unreadable", problem.Json["reason"]!.GetValue<string>());
            Assert.Contains("another vault key", problem.Detail);
            Assert.Single(realm.Submissions);
        }

        Directory.Delete(dataDir, recursive: true);
    }

    [Fact]
    public async Task Each_key_may_store_up_to_the_limit_and_more_is_409()
    {
        var settings = new Dictionary<string, string>
        {
            ["SessionGrid:Vault:MaxCredentialsPerTenant"] = "2",
            [VaultKey.Setting] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        await using var host = await SessionGridHost.StartAsync(settings: settings);
        Assert.False(File.Exists(Path.Combine(host.DataDir, VaultKey.FileName)), "a configured key is not written anywhere");
        var realm = pages.Vault.NewRealm();
        var a = host.SessionClient();
        var first = await a.StoreAsync(Credential(realm));
        await a.StoreAsync(Credential(realm));
        var third = await a.CreateCredentialAsync(Credential(realm));
        Assert.Equal(HttpStatusCode.Conflict, third.Status);
        Assert.Contains("already stores 2 credentials", third.Detail);
        Assert.Equal(2, (await a.ListCredentialsAsync()).Json["credentials"]!.AsArray().Count);

        await host.SessionClient(TestKeys.B).StoreAsync(Credential(realm));
        Assert.Equal(HttpStatusCode.OK, (await a.DeleteCredentialAsync(first)).Status);
        await a.StoreAsync(Credential(realm));
    }

    [Fact]
    public void A_cluster_silo_without_a_vault_key_refuses_to_start_and_says_what_to_set()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sessiongrid-cluster-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<VaultKeyException>(() => SessionGridApp.Build(
            [$"--SessionGrid:DataDir={dataDir}", "--SessionGrid:Storage=postgres", "--SessionGrid:ConnectionString=Host=127.0.0.1;Port=1"]));
        Assert.Contains("SessionGrid:Vault:Key is not set", error.Message);
        Assert.Contains("same base64 of 32 random bytes on every silo", error.Message);
        Assert.False(Directory.Exists(dataDir), "nothing is generated in cluster mode");
    }
}
