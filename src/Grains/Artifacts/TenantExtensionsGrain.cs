using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Grains.Browser;

namespace SessionGrid.Grains.Artifacts;

/// <summary>
/// A tenant's Chrome extensions in the shared artifact store (scope <c>extensions:&lt;tenant&gt;</c>, an artifact per
/// extension named by its id, kept until deleted); any silo can serve them, so it is a stateless worker. Each
/// artifact's description holds what the list shows: the file's name, when it came, the manifest's name and version.
/// </summary>
[StatelessWorker]
public sealed class TenantExtensionsGrain(IArtifactStore artifacts, IOptions<ExtensionOptions> options, TimeProvider clock) : Grain, ITenantExtensionsGrain
{
    /// <summary>Extensions are kept until deleted: the store's expiry is set past any date it will see.</summary>
    private static readonly long Forever = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private string Scope => TenantExtensions.Scope(this.GetPrimaryKeyString());

    public async Task<SessionReply> UploadAsync(string extensionId, string fileName, byte[] package)
    {
        var limits = options.Value;
        if (SessionFileOptions.NameProblem(fileName) is { } badName)
        {
            return SessionReply.Rejected(SessionRefusal.Invalid, badName);
        }

        if (package.Length > limits.MaxUploadBytes)
        {
            return SessionReply.Rejected(SessionRefusal.LimitReached, $"an extension may be at most {limits.MaxUploadBytes} bytes");
        }

        var (checkedPackage, problem) = ExtensionPackage.Check(package, limits.MaxUnpackedBytes);
        if (checkedPackage is null)
        {
            return SessionReply.Rejected(SessionRefusal.Invalid, problem!);
        }

        if ((await artifacts.ListAsync(Scope, CancellationToken.None)).Count >= limits.MaxPerTenant)
        {
            return SessionReply.Rejected(SessionRefusal.Forbidden,
                $"this API key already keeps {limits.MaxPerTenant} extensions (SessionGrid:Extensions:MaxPerTenant); delete one first");
        }

        var description = new TenantExtension(extensionId, fileName, clock.GetUtcNow().ToUnixTimeMilliseconds(), checkedPackage.Name, checkedPackage.Version);
        await artifacts.PutAsync(Scope, extensionId, "application/zip", checkedPackage.Zip, Forever, CancellationToken.None, JsonSerializer.Serialize(description));
        return SessionReply.Ok;
    }

    public async Task<IReadOnlyList<TenantExtension>> ListAsync() =>
        [.. (await artifacts.ListAsync(Scope, CancellationToken.None))
            .Select(info => info.Description is { } json ? JsonSerializer.Deserialize<TenantExtension>(json) : null)
            .OfType<TenantExtension>()
            .OrderByDescending(e => e.CreatedAt)];

    public Task<bool> DeleteAsync(string extensionId) => artifacts.DeleteAsync(Scope, extensionId, CancellationToken.None);

    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> extensionIds)
    {
        var kept = (await artifacts.ListAsync(Scope, CancellationToken.None)).Select(info => info.Name).ToHashSet(StringComparer.Ordinal);
        return [.. extensionIds.Where(id => !kept.Contains(id))];
    }
}
