using System.Text.Json.Nodes;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Artifacts;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The session's files, for <c>uploadFile</c> actions and the agent's uploads: the ones its client uploads into it
/// (at most <see cref="SessionFileOptions.MaxFilesPerSession"/>, kept <see cref="SessionFileOptions.RetentionHours"/>)
/// and copies of the owner's uploaded files its task named.
/// </summary>
public sealed partial class SessionGrain
{
    public async Task<FileReply> AddFileAsync(SessionFile file)
    {
        await RestoreIfLostAsync();
        if (Refusal() is { } refused)
        {
            return new FileReply(refused, null);
        }

        var limits = services.Files;
        if (UploadChecks.Refusal(file, limits) is { } invalid)
        {
            return new FileReply(invalid, null);
        }

        var stored = await services.Artifacts.ListAsync(SessionId, CancellationToken.None);
        if (stored.Count >= limits.MaxFilesPerSession && !stored.Any(f => f.Name == file.Name))
        {
            return new FileReply(SessionReply.Rejected(SessionRefusal.LimitReached,
                $"the session already holds {limits.MaxFilesPerSession} files, the most it may hold"), null);
        }

        Touch();
        var expiresAt = services.Clock.GetUtcNow().AddHours(limits.RetentionHours).ToUnixTimeMilliseconds();
        var info = await services.Artifacts.PutAsync(SessionId, file.Name, file.ContentType, file.Content, expiresAt, CancellationToken.None);
        return new FileReply(SessionReply.Ok, info);
    }

    /// <summary>
    /// Copies the owner's uploaded files the task named into the session's own files, under their original names and
    /// with their purposes, so uploads (the agent's and <c>uploadFile</c>) find them; a file that expired since the request was checked
    /// is reported as a <c>file_missing</c> event.
    /// </summary>
    private async Task CopyUploadsAsync(IReadOnlyList<string> fileIds)
    {
        var artifacts = services.Artifacts;
        foreach (var id in fileIds)
        {
            var scope = TenantFiles.Scope(_owner, id);
            var stored = (await artifacts.ListAsync(scope, CancellationToken.None)).FirstOrDefault();
            if (stored is not null && await artifacts.GetAsync(scope, stored.Name, CancellationToken.None) is { } file)
            {
                await artifacts.PutAsync(SessionId, stored.Name, file.ContentType, file.Content, stored.ExpiresAt, CancellationToken.None, stored.Description);
                continue;
            }

            await TaskRecord.AppendAsync(TaskEvent.Notice("file_missing", new JsonObject { ["file_id"] = id }.ToJsonString()));
        }
    }
}
