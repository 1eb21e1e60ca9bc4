using SessionGrid.Grains.Browser;
using SessionGrid.Tests.Cdp;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Browser;

/// <summary>
/// Dedicated browsers run Chromium's headless shell when it is installed (CI installs Debian's
/// <c>chromium-headless-shell</c>, as start.sh does), and the full Chromium with <c>HeadlessShell=false</c>; either way
/// the session opens on its page.
/// </summary>
public sealed class HeadlessShellTests(TestPages pages)
{
    [Theory]
    [InlineData(true, "chromium-headless-shell")]
    [InlineData(false, "/chromium")]
    public async Task A_dedicated_session_runs_the_headless_shell_unless_it_is_turned_off(bool shell, string executableEnding)
    {
        Assert.NotNull(ChromiumLocator.FindHeadlessShell(null));
        await using var host = await SessionGridHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["SessionGrid:Browser:HeadlessShell"] = shell ? "true" : "false",
        });
        var (session, _) = await CdpSteps.OpenDedicatedAsync(host.Client(), pages.Url("/"));

        var executables = ProcessTree.ChromiumOfHost(host.Browsers.HostId)
            .Select(pid => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0'))
            .Where(args => args.Any(a => a.StartsWith("--sessiongrid-process=", StringComparison.Ordinal)) && !args.Any(a => a.StartsWith("--type=", StringComparison.Ordinal)))
            .Select(args => args[0])
            .ToList();
        Assert.NotEmpty(executables);
        Assert.All(executables, executable => Assert.EndsWith(executableEnding, executable));
        await host.Client().CancelAsync(session);
    }
}
