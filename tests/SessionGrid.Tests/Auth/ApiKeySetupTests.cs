using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using SessionGrid.Api.Auth;
using SessionGrid.Silo.Hosting;

namespace SessionGrid.Tests.Auth;

public sealed class ApiKeySetupTests
{
    [Fact]
    public void Without_configured_keys_one_is_generated_printed_once_and_only_its_hash_is_stored()
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-keys-").FullName;
        var empty = new ConfigurationBuilder().Build();
        var firstOutput = new StringWriter();

        var hashes = ApiKeySetup.KeyHashes(empty, dataDir, firstOutput);
        var key = firstOutput.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("sg_", StringComparison.Ordinal));
        var hashFile = Path.Combine(dataDir, ApiKeySetup.HashFileName);
        Assert.Equal([ApiKeyHash.Of(key)], hashes);
        Assert.Equal(ApiKeyHash.Of(key), File.ReadAllText(hashFile).Trim());
        Assert.DoesNotContain(key, File.ReadAllText(hashFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(hashFile));

        var secondOutput = new StringWriter();
        Assert.Equal(hashes, ApiKeySetup.KeyHashes(empty, dataDir, secondOutput));
        Assert.Equal("", secondOutput.ToString());

        var registry = new ApiKeyRegistry(hashes);
        Assert.NotNull(registry.Authenticate(Request(("apikey", key))));
        Assert.NotNull(registry.Authenticate(Request(("Authorization", "Bearer " + key))));
        Assert.Null(registry.Authenticate(Request(("apikey", key + "x"))));
        Assert.Null(registry.Authenticate(Request()));
        Directory.Delete(dataDir, recursive: true);
    }

    [Theory]
    [InlineData("SessionGrid:ApiKeys:0", "alpha")]
    [InlineData("SessionGrid:ApiKeys", "alpha, bravo")]
    public void Configured_keys_are_used_and_nothing_is_generated(string setting, string value)
    {
        var dataDir = Directory.CreateTempSubdirectory("sessiongrid-keys-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(setting, value)]).Build();
        var output = new StringWriter();

        var hashes = ApiKeySetup.KeyHashes(configuration, dataDir, output);
        Assert.Contains(ApiKeyHash.Of("alpha"), hashes);
        Assert.Equal(value.Contains(',') ? 2 : 1, hashes.Count);
        Assert.Equal("", output.ToString());
        Assert.False(File.Exists(Path.Combine(dataDir, ApiKeySetup.HashFileName)));
        Assert.NotEqual(ApiKeyHash.TenantOf(ApiKeyHash.Of("alpha")), ApiKeyHash.TenantOf(ApiKeyHash.Of("bravo")));
        Directory.Delete(dataDir, recursive: true);
    }

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }
}
