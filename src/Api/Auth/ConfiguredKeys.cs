using Microsoft.Extensions.Configuration;

namespace SessionGrid.Api.Auth;

/// <summary>Keys named in configuration: a list (<c>…__0</c>, <c>…__1</c>, …) or one comma-separated value.</summary>
public static class ConfiguredKeys
{
    public static IReadOnlyList<string> Read(IConfiguration configuration, string setting)
    {
        var section = configuration.GetSection(setting);
        return [.. (section.Value is { } single ? single.Split(',') : section.Get<string[]>() ?? [])
            .Select(k => k.Trim())
            .Where(k => k.Length > 0)];
    }
}
