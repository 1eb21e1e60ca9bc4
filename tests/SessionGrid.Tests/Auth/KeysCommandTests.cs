using System.Diagnostics;
using System.Net;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Auth;

/// <summary>
/// <c>SessionGrid.Silo keys create | list | revoke</c> against a running host's admin API: the key it prints works,
/// the list shows it without the key, revoke ends it; and the executable dispatches the subcommand.
/// </summary>
public sealed class KeysCommandTests(AdminKeyHost fixture) : IClassFixture<AdminKeyHost>
{
    private string Url => fixture.Host.BaseUrl;

    [Fact]
    public async Task Create_list_and_revoke_manage_a_key_end_to_end()
    {
        var (code, output, errors) = await RunAsync("create", "--name", "from-cli", "--url", Url, "--admin-key", AdminClient.Key);
        Assert.True(code == 0, errors);
        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        var key = fields["key"];
        var id = fields["id"];
        Assert.Equal("from-cli", fields["name"]);
        Assert.Contains("only this once", errors);
        var calls = new DialectCalls(Url);
        Assert.Equal(HttpStatusCode.OK, (await calls.ReadAsync(Dialect.TaskApi, key)).Status);

        (code, output, errors) = await RunAsync("list", $"--url={Url}", $"--admin-key={AdminClient.Key}");
        Assert.True(code == 0, errors);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith(id, StringComparison.Ordinal));
        Assert.Contains("from-cli", line);
        Assert.Contains(fields["tenant"], line);
        Assert.EndsWith("active", line.TrimEnd());
        Assert.DoesNotContain(key, output);

        (code, output, errors) = await RunAsync("revoke", id, "--url", Url, "--admin-key", AdminClient.Key);
        Assert.True(code == 0, errors);
        Assert.Contains(id, output);
        Assert.Equal(HttpStatusCode.Unauthorized, (await calls.ReadAsync(Dialect.TaskApi, key)).Status);
        (_, output, _) = await RunAsync("list", "--url", Url, "--admin-key", AdminClient.Key);
        Assert.Contains("revoked", output.Split('\n').Single(l => l.StartsWith(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_admin_key_can_come_from_the_configured_admin_keys_and_refusals_exit_non_zero()
    {
        var (code, output, errors) = await RunAsync("list", "--url", Url, $"--SessionGrid:AdminKeys={AdminClient.Key},other");
        Assert.True(code == 0, errors);
        Assert.StartsWith("ID", output);

        (code, _, errors) = await RunAsync("list", "--url", Url, "--admin-key", TestKeys.A);
        Assert.Equal(1, code);
        Assert.Contains("403", errors);
        (code, _, errors) = await RunAsync("revoke", "key_0123456789abcdef01234567", "--url", Url, "--admin-key", AdminClient.Key);
        Assert.Equal(1, code);
        Assert.Contains("404", errors);
        (code, _, errors) = await RunAsync("list", "--url", $"http://127.0.0.1:{Ports.Free()}", "--admin-key", AdminClient.Key);
        Assert.Equal(1, code);
        Assert.Contains("did not answer", errors);
        foreach (var wrong in new[] { new[] { "rotate" }, ["revoke"], ["list", "extra"], ["create", "--name"] })
        {
            (code, _, errors) = await RunAsync([.. wrong, "--admin-key", AdminClient.Key]);
            Assert.Equal(2, code);
            Assert.StartsWith("usage:", errors);
        }
    }

    [Fact]
    public async Task The_executable_runs_the_keys_subcommand()
    {
        var start = new ProcessStartInfo("dotnet", [SiloProcess.SiloDll(), "keys", "create", "--name", "from-process", "--url", Url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SESSIONGRID_ADMIN_KEY"] = AdminClient.Key;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, await errors);
        var key = (await output).Split('\n').Single(l => l.StartsWith("key:", StringComparison.Ordinal))[4..].Trim();
        Assert.Equal(DialectCalls.ReadOk(Dialect.BrowsingApi), (await new DialectCalls(Url).ReadAsync(Dialect.BrowsingApi, key)).Status);
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await KeysCommand.RunAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
