using System.Net;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.TaskApi;

/// <summary>Keys, isolation between keys, and list paging. Each test runs on its own host so counts are exact.</summary>
public sealed class AuthAndListingTests : IAsyncLifetime
{
    private SessionGridHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await SessionGridHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task A_missing_or_wrong_key_is_a_401_with_a_detail_everywhere(string? key)
    {
        var client = _host.Client(key!);
        foreach (var response in new[]
        {
            await client.SubmitAsync("{\"task\": null}"),
            await client.ListAsync(),
            await client.GetAsync("task_x"),
            await client.CancelAsync("task_x"),
            await client.EventAsync("task_x", "{}"),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Contains("API key", response.Detail);
        }

        Assert.Empty((await _host.Client().ListAsync()).R.AsArray());
    }

    [Fact]
    public async Task The_key_is_accepted_as_a_bearer_token_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/task");
        request.Headers.Authorization = new("Bearer", TestKeys.B);
        var response = await _host.Client().Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_key_sees_only_its_own_tasks_and_another_keys_task_is_404()
    {
        var alpha = _host.Client(TestKeys.A);
        var bravo = _host.Client(TestKeys.B);
        var taskId = await alpha.OpenSessionAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await bravo.GetAsync(taskId)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await bravo.CancelAsync(taskId)).Status);
        var foreignEvent = await bravo.ActionAsync(taskId, "x", "browser_action", "evaluate_js", new JsonObject { ["js"] = "1" });
        Assert.Equal(HttpStatusCode.NotFound, foreignEvent.Status);
        Assert.Empty((await bravo.ListAsync()).R.AsArray());

        var own = await alpha.GetAsync(taskId);
        Assert.Equal("running", own.R["status"]!.GetValue<string>());
        Assert.Empty(own.R["events"]!.AsArray());
        Assert.Single((await alpha.ListAsync()).R.AsArray());
        await alpha.CancelAsync(taskId);
    }

    [Fact]
    public async Task Listing_pages_newest_first_with_the_created_before_cursor()
    {
        var client = _host.Client();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = await client.OpenSessionAsync();
            await client.CancelAsync(id);
            created.Add(id);
        }

        created.Reverse();
        var all = (await client.ListAsync()).R.AsArray();
        Assert.Equal(created, all.Select(t => t!["id"]!.GetValue<string>()));
        var stamps = all.Select(t => t!["created_at"]!.GetValue<long>()).ToList();
        Assert.Equal(stamps.OrderDescending(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
        Assert.All(all, t => Assert.Null(t!["events"]));

        var pages = new List<string>();
        long? cursor = null;
        while (true)
        {
            var page = (await client.ListAsync("?l=2" + (cursor is { } t ? $"&t={t}" : ""))).R.AsArray();
            Assert.True(page.Count <= 2);
            if (page.Count == 0)
            {
                break;
            }

            pages.AddRange(page.Select(p => p!["id"]!.GetValue<string>()));
            cursor = page[^1]!["created_at"]!.GetValue<long>();
        }

        Assert.Equal(created, pages);
        Assert.Single((await client.ListAsync("?l=1")).R.AsArray());
        Assert.Equal(5, (await client.ListAsync("?l=128")).R.AsArray().Count);
    }
}
