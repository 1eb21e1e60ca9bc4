using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Grains.Artifacts;

/// <summary>A tenant's uploaded files in the shared artifact store; any silo can serve them, so it is a stateless worker.</summary>
[StatelessWorker]
public sealed class TenantFilesGrain(IArtifactStore artifacts, IOptions<SessionFileOptions> options, TimeProvider clock) : Grain, ITenantFilesGrain
{
    private string Tenant => this.GetPrimaryKeyString();

    public async Task<FileReply> UploadAsync(string fileId, SessionFile file)
    {
        if (UploadChecks.Refusal(file, options.Value) is { } refused)
        {
            return new FileReply(refused, null);
        }

        var expiresAt = clock.GetUtcNow().AddHours(options.Value.RetentionHours).ToUnixTimeMilliseconds();
        var info = await artifacts.PutAsync(TenantFiles.Scope(Tenant, fileId), file.Name, file.ContentType, file.Content, expiresAt, CancellationToken.None, file.Description);
        return new FileReply(SessionReply.Ok, info);
    }

    public async Task<bool> DeleteAsync(string fileId) =>
        await artifacts.DeleteScopeAsync(TenantFiles.Scope(Tenant, fileId), CancellationToken.None) > 0;

    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> fileIds)
    {
        var missing = new List<string>();
        foreach (var id in fileIds)
        {
            if ((await artifacts.ListAsync(TenantFiles.Scope(Tenant, id), CancellationToken.None)).Count == 0)
            {
                missing.Add(id);
            }
        }

        return missing;
    }
}

/// <summary>The checks every uploaded file passes, wherever it is uploaded: a usable name and a size within the limit.</summary>
public static class UploadChecks
{
    public static SessionReply? Refusal(SessionFile file, SessionFileOptions limits) =>
        SessionFileOptions.NameProblem(file.Name) is { } problem
            ? SessionReply.Rejected(SessionRefusal.Invalid, problem)
            : file.Content.Length > limits.MaxUploadBytes
                ? SessionReply.Rejected(SessionRefusal.LimitReached, $"the file is larger than the limit of {limits.MaxUploadBytes} bytes")
                : null;
}
