using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Browsing;
using SessionGrid.Grains.Browser;
using SessionGrid.Silo.Hosting;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// Every settings class is bound once and checked when the real host starts: a setting out of its range stops the
/// start with a message naming it and its value, and a 0 that means "off" or "none" is accepted.
/// </summary>
public sealed class SettingsValidationTests
{
    public static TheoryData<string, string> OutOfRange => new()
    {
        { "SessionGrid:Browser:MaxContexts", "0" },
        { "SessionGrid:Browser:MaxContexts", "-1" },
        { "SessionGrid:Browser:MaxContextsPerProcess", "0" },
        { "SessionGrid:Browser:WarmContexts", "-1" },
        { "SessionGrid:Browser:WarmDedicated", "-1" },
        { "SessionGrid:Browser:WarmDedicatedIdle", "-1" },
        { "SessionGrid:Browser:WarmDedicatedMax", "-1" },
        { "SessionGrid:Browser:WarmDedicatedMax", "1" },
        { "SessionGrid:Browser:WarmDedicatedIdleSeconds", "0" },
        { "SessionGrid:Browser:WarmRefillLaunches", "0" },
        { "SessionGrid:Browser:MaxConcurrentLaunches", "0" },
        { "SessionGrid:Browser:WarmRefillLaunches", "1000" },
        { "SessionGrid:Browser:QueueTimeoutSeconds", "-1" },
        { "SessionGrid:Browser:LaunchTimeoutSeconds", "0" },
        { "SessionGrid:Session:IdleTimeoutSeconds", "-5" },
        { "SessionGrid:Session:IdleTimeoutSeconds", "0" },
        { "SessionGrid:Session:MaxQueuedCommands", "0" },
        { "SessionGrid:Session:FollowUpHoldMs", "-1" },
        { "SessionGrid:Session:FollowUpHoldMs", "10001" },
        { "SessionGrid:Actions:MaxTimeoutMs", "0" },
        { "SessionGrid:Files:MaxUploadBytes", "0" },
        { "SessionGrid:Files:SweepIntervalSeconds", "-1" },
        { "SessionGrid:Vault:MaxPauseTimeoutMs", "0" },
        { "SessionGrid:Profiles:SaveIntervalSeconds", "0" },
        { "SessionGrid:Agent:ToolCallTimeoutSeconds", "0" },
        { "SessionGrid:Agent:MaxRepairs", "-1" },
        { "SessionGrid:Browsing:SyncWaitSeconds", "0" },
        { "SessionGrid:Browsing:ScreenshotRetentionHours", "121" },
        { "SessionGrid:Api:MaxBodyBytes", "0" },
        { "SessionGrid:Limits:Burst", "0" },
        { "SessionGrid:Limits:RequestsPerSecond", "-1" },
        { "SessionGrid:Limits:Keys:big:Burst", "0" },
        { "SessionGrid:LiveView:PublicBaseUrl", "ftp://grid.example.com" },
        { "SessionGrid:Node:InternalUrl", "http://10.0.0.5:8080/?x=1" },
        { "SessionGrid:UrlPolicy:DenyHosts:0", "http://example.com/" },
        { "SessionGrid:Downloads:MaxBytes", "0" },
        { "SessionGrid:Downloads:MaxSessionBytes", "-1" },
        { "SessionGrid:Downloads:MaxFiles", "-1" },
        { "SessionGrid:Recording:RetentionHours", "0" },
        { "SessionGrid:Recording:LinkTtlHours", "-1" },
        { "SessionGrid:Recording:MaxFps", "0" },
        { "SessionGrid:Recording:MaxFps", "31" },
        { "SessionGrid:Recording:MaxSeconds", "0" },
        { "SessionGrid:Recording:MaxBytes", "0" },
        { "SessionGrid:Recording:SegmentSeconds", "0" },
        { "SessionGrid:Recording:MaxConcurrentEncodes", "-1" },
        { "SessionGrid:Recording:Format", "avi" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task A_setting_out_of_its_range_stops_the_start_naming_the_setting_and_its_value(string setting, string value)
    {
        await using var host = new BuiltHost(new Dictionary<string, string> { [setting] = value });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.App.StartAsync());
        var named = setting.EndsWith(":0", StringComparison.Ordinal) ? setting[..^2] : setting;
        Assert.Contains(named, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Single(error.Failures);
    }

    [Fact]
    public async Task A_zero_that_means_off_or_none_and_a_fraction_where_one_is_allowed_are_accepted()
    {
        await using var host = new BuiltHost(new Dictionary<string, string>
        {
            ["SessionGrid:Limits:RequestsPerSecond"] = "0",
            ["SessionGrid:Limits:MaxConcurrentSessions"] = "0",
            ["SessionGrid:Limits:Keys:big:MaxConcurrentSessions"] = "0",
            ["SessionGrid:Browser:WarmContexts"] = "0",
            ["SessionGrid:Browser:WarmDedicated"] = "0",
            ["SessionGrid:Browser:WarmDedicatedIdle"] = "0",
            ["SessionGrid:Browser:WarmRefillQuietMs"] = "0",
            ["SessionGrid:Browser:MaxQueuedSessions"] = "0",
            ["SessionGrid:Browser:QueueTimeoutSeconds"] = "0",
            ["SessionGrid:Vault:MaxCredentialsPerTenant"] = "0",
            ["SessionGrid:Vault:ConsentTimeoutMs"] = "0",
            ["SessionGrid:Profiles:MaxProfilesPerTenant"] = "0",
            ["SessionGrid:Files:MaxFilesPerSession"] = "0",
            ["SessionGrid:Agent:MaxRepairs"] = "0",
            ["SessionGrid:Agent:MaxElements"] = "0",
            ["SessionGrid:Session:IdleTimeoutSeconds"] = "0.5",
            ["SessionGrid:Browsing:ScreenshotRetentionHours"] = "0.002",
            ["SessionGrid:Downloads:MaxFiles"] = "0",
            ["SessionGrid:Recording:RetentionHours"] = "0.0005",
            ["SessionGrid:Recording:MaxConcurrentEncodes"] = "0",
        });

        // What StartAsync runs first, without starting the silo and its browsers.
        host.App.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(0, host.App.Services.GetRequiredService<IOptions<BrowserOptions>>().Value.MaxQueuedSessions);
    }

    [Fact]
    public async Task Every_settings_class_is_bound_once_and_validated_at_start()
    {
        IServiceCollection? services = null;
        await using var host = new BuiltHost(new Dictionary<string, string>(), builder => services = builder.Services);
        var classes = new[] { typeof(BrowsingOptions), typeof(BrowserOptions), typeof(ApiOptions), typeof(SessionGridApp) }
            .SelectMany(a => a.Assembly.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Options", StringComparison.Ordinal)
                && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .ToList();
        Assert.True(classes.Count >= 13, $"found only {classes.Count} settings classes: {string.Join(", ", classes.Select(c => c.Name))}");
        foreach (var type in classes)
        {
            var bindings = services!.Where(d => d.ServiceType == typeof(IConfigureOptions<>).MakeGenericType(type)).ToList();
            Assert.True(bindings.Count == 1, $"{type.Name} is bound {bindings.Count} times");

            // The validator Settings.AddSettings registers with ValidateOnStart: the start runs it.
            var validators = services!.Where(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(type)).ToList();
            Assert.True(validators.Count == 1, $"{type.Name} has {validators.Count} validators");
            Assert.Equal(typeof(Contracts.Common.Settings), validators[0].ImplementationInstance?.GetType().DeclaringType);
        }
    }
}
