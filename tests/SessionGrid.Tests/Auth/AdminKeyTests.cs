using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.Auth;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Auth;

/// <summary>A host with an admin key (and no per-key limits in the way), for the key tests.</summary>
public sealed class AdminKeyHost() : ConfiguredHost(new Dictionary<string, string>
{
    ["SessionGrid:AdminKeys"] = AdminClient.Key + ", second-admin-key",
    ["SessionGrid:Limits:RequestsPerSecond"] = "0",
});

/// <summary>
/// Issued API keys over real HTTP: the admin API issues, lists and revokes them; an issued key works in all three
/// dialects until it is revoked, and from the very next request on answers 401 in each; keys are stored and shown only
/// as hashes and ids; made-up keys leave neither state nor activations behind.
/// </summary>
public sealed class AdminKeyTests(AdminKeyHost fixture, TestPages pages) : IClassFixture<AdminKeyHost>
{
    private readonly AdminClient _admin = new(fixture.Host.BaseUrl);
    private readonly DialectCalls _calls = new(fixture.Host.BaseUrl);

    [Fact]
    public async Task An_issued_key_works_in_every_dialect_until_revoked_and_then_answers_401_in_each_at_once()
    {
        var created = await _admin.CreateAsync(new JsonObject { ["name"] = "ci-runner" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var body = created.Body!;
        var key = body["key"]!.GetValue<string>();
        var id = body["id"]!.GetValue<string>();
        Assert.Matches("^sg_[A-Za-z0-9_-]{32}$", key);
        Assert.Matches("^key_[0-9a-f]{24}$", id);
        Assert.Equal("ci-runner", body["name"]!.GetValue<string>());
        Assert.Equal(ApiKeyHash.TenantOf(ApiKeyHash.Of(key)), body["tenant"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(body["createdAt"]!.GetValue<string>()) > DateTimeOffset.UtcNow.AddMinutes(-5));

        foreach (var dialect in DialectCalls.All)
        {
            Assert.Equal(DialectCalls.ReadOk(dialect), (await _calls.ReadAsync(dialect, key)).Status);
        }

        // The key is its own tenant: what it opens is its own, and another key does not see it.
        var opened = await _calls.OpenAsync(Dialect.TaskApi, key, pages.Url("/"));
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        var taskId = DialectCalls.OpenedId(Dialect.TaskApi, opened);
        Assert.Equal(HttpStatusCode.Accepted, (await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Get, $"/api/v1/task/{taskId}", key, null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Get, $"/api/v1/task/{taskId}", TestKeys.A, null)).Status);

        var revoked = await _admin.RevokeAsync(id);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.True(revoked.Body!["revoked"]!.GetValue<bool>());
        Assert.NotNull(revoked.Body["revokedAt"]);
        foreach (var dialect in DialectCalls.All)
        {
            Assert.Contains("API key", DialectCalls.AssertError(dialect, await _calls.ReadAsync(dialect, key), HttpStatusCode.Unauthorized));
        }

        // Either way of sending it: the Task API with Authorization: Bearer, the others with the apikey header.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _calls.SendAsync(Dialect.BrowserSessionApi, HttpMethod.Get, "/api/v1/task", key, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Get, "/api/v1/browser/sessions", key, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _calls.SendAsync(Dialect.TaskApi, HttpMethod.Post, $"/api/v1/task/{taskId}/event", key,
            new JsonObject { ["name"] = "session_action", ["payload"] = new JsonObject { ["name"] = "close" } })).Status);

        // The configured keys are untouched.
        foreach (var dialect in DialectCalls.All)
        {
            Assert.Equal(DialectCalls.ReadOk(dialect), (await _calls.ReadAsync(dialect, TestKeys.A)).Status);
        }
    }

    [Fact]
    public async Task The_list_describes_every_issued_key_newest_first_and_never_shows_a_key_or_its_hash()
    {
        var first = await _admin.IssueAsync("list-one");
        var second = await _admin.IssueAsync();
        Assert.Equal(HttpStatusCode.OK, (await _admin.RevokeAsync(first.Id)).Status);

        var list = await _admin.ListAsync();
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("application/json", list.ContentType);
        var keys = list.Body!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        var ids = keys.Select(k => k["id"]!.GetValue<string>()).ToList();
        Assert.True(ids.IndexOf(second.Id) < ids.IndexOf(first.Id), "newest first");
        var one = keys.Single(k => k["id"]!.GetValue<string>() == first.Id);
        Assert.Equal(["id", "name", "tenant", "createdAt", "revoked", "revokedAt"], one.Select(p => p.Key));
        Assert.Equal("list-one", one["name"]!.GetValue<string>());
        Assert.True(one["revoked"]!.GetValue<bool>());
        var two = keys.Single(k => k["id"]!.GetValue<string>() == second.Id);
        Assert.Null(two["name"]);
        Assert.False(two["revoked"]!.GetValue<bool>());
        Assert.Null(two["revokedAt"]);

        foreach (var issued in new[] { first, second })
        {
            Assert.DoesNotContain(issued.Key, list.Text);
            Assert.DoesNotContain(ApiKeyHash.Of(issued.Key), list.Text);
        }
    }

    [Fact]
    public async Task Admin_routes_refuse_a_tenant_key_with_403_and_no_or_a_wrong_key_with_401_as_problem_details()
    {
        var issued = await _admin.IssueAsync();
        var routes = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Post, "/api/v1/admin/keys"), (HttpMethod.Get, "/api/v1/admin/keys"), (HttpMethod.Delete, $"/api/v1/admin/keys/{issued.Id}"),
        };
        var cases = new (string? Key, HttpStatusCode Status)[]
        {
            (TestKeys.A, HttpStatusCode.Forbidden), (issued.Key, HttpStatusCode.Forbidden), (null, HttpStatusCode.Unauthorized), ("not-an-admin-key", HttpStatusCode.Unauthorized),
        };
        foreach (var (key, status) in cases)
        {
            foreach (var (method, path) in routes)
            {
                var response = await new AdminClient(fixture.Host.BaseUrl, key).SendAsync(method, path, method == HttpMethod.Post ? "{}" : null);
                Assert.True(response.Status == status, $"{method} {path} with {key ?? "no key"}: {response.Status} {response.Text}");
                Assert.Equal("application/problem+json", response.ContentType);
                Assert.Equal((int)status, response.Body!["status"]!.GetValue<int>());
                Assert.False(string.IsNullOrEmpty(response.Body["detail"]?.GetValue<string>()));
            }
        }

        // None of that created or revoked a key; the second configured admin key works too; an admin key is no tenant's key.
        var list = await new AdminClient(fixture.Host.BaseUrl, "second-admin-key").ListAsync();
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.False(list.Body!["keys"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == issued.Id)!["revoked"]!.GetValue<bool>());
        foreach (var dialect in DialectCalls.All)
        {
            DialectCalls.AssertError(dialect, await _calls.ReadAsync(dialect, AdminClient.Key), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_key_issued_for_an_existing_tenant_shares_its_tasks_so_the_old_key_can_be_revoked()
    {
        var old = await _admin.IssueAsync("rotating");
        var opened = await _calls.OpenAsync(Dialect.BrowserSessionApi, old.Key, pages.Url("/"));
        Assert.Equal(HttpStatusCode.Created, opened.Status);
        var sessionId = DialectCalls.OpenedId(Dialect.BrowserSessionApi, opened);

        var successor = await _admin.IssueAsync("rotating", old.Tenant);
        Assert.Equal(old.Tenant, successor.Tenant);
        Assert.NotEqual(old.Id, successor.Id);
        Assert.Equal(HttpStatusCode.OK, (await _admin.RevokeAsync(old.Id)).Status);

        var read = await _calls.SendAsync(Dialect.BrowserSessionApi, HttpMethod.Get, $"/api/v1/browser/sessions/{sessionId}", successor.Key, null);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(HttpStatusCode.OK, (await _calls.SendAsync(Dialect.BrowserSessionApi, HttpMethod.Delete, $"/api/v1/browser/sessions/{sessionId}", successor.Key, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _calls.ReadAsync(Dialect.BrowserSessionApi, old.Key)).Status);

        // A revoked key's tenant still takes new keys; so does a configured key's. A tenant no key has does not.
        Assert.Equal(old.Tenant, (await _admin.IssueAsync(tenant: old.Tenant)).Tenant);
        var configuredTenant = ApiKeyHash.TenantOf(ApiKeyHash.Of(TestKeys.B));
        var forB = await _admin.IssueAsync(tenant: configuredTenant);
        Assert.Equal(configuredTenant, forB.Tenant);
        foreach (var tenant in new[] { "k_0123456789abcdef01234567", "acme", "" })
        {
            var refused = await _admin.CreateAsync(new JsonObject { ["tenant"] = tenant });
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("tenant", refused.Body!["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Bad_input_is_refused_and_revoking_is_404_for_an_unknown_id_and_200_again_for_a_revoked_one()
    {
        foreach (var body in new[] { """{"name": "has space"}""", """{"name": ""}""", $$"""{"name": "{{new string('n', 65)}}"}""", """{"name": 5}""", "[1]", "{" })
        {
            var response = await _admin.SendAsync(HttpMethod.Post, "/api/v1/admin/keys", body);
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{body}: {response.Status} {response.Text}");
            Assert.Equal("application/problem+json", response.ContentType);
        }

        Assert.Equal(HttpStatusCode.Created, (await _admin.SendAsync(HttpMethod.Post, "/api/v1/admin/keys", "")).Status);
        foreach (var id in new[] { "key_0123456789abcdef01234567", "nonsense" })
        {
            var missing = await _admin.RevokeAsync(id);
            Assert.Equal(HttpStatusCode.NotFound, missing.Status);
            Assert.Equal("application/problem+json", missing.ContentType);
        }

        var issued = await _admin.IssueAsync();
        var first = await _admin.RevokeAsync(issued.Id);
        var again = await _admin.RevokeAsync(issued.Id);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body!["revokedAt"]!.GetValue<string>(), again.Body!["revokedAt"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.SendAsync(HttpMethod.Get, "/api/v1/admin/nothing", null)).Status);
    }

    [Fact]
    public async Task A_flood_of_made_up_keys_is_refused_without_writing_state_or_keeping_activations()
    {
        await _admin.IssueAsync("flood-reference");
        var rows = StoredRows();
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeyHash.NewKey()).ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, _) =>
            Assert.Equal(HttpStatusCode.Unauthorized, (await _calls.ReadAsync(Dialect.TaskApi, key)).Status));

        Assert.Equal(rows, StoredRows());
        var management = fixture.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        // The issued keys this class made stay active (they were used); the 200 made-up ones end with their call.
        await Eventually.Until(async () =>
        {
            var stats = await management.GetSimpleGrainStatistics();
            var active = stats.Where(s => s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal) && !s.GrainType.Contains("Index", StringComparison.Ordinal))
                .Sum(s => s.ActivationCount);
            return active < 50 ? "bounded" : null;
        }, TimeSpan.FromSeconds(30), "the made-up keys' activations to end");
    }

    private long StoredRows()
    {
        using var connection = new SqliteConnection(SqliteStore.ConnectionString(fixture.Host.DataDir));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage";
        return (long)command.ExecuteScalar()!;
    }
}
