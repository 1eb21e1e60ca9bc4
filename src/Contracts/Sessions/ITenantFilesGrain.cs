namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// A tenant's uploaded files (Task API <c>POST /file</c>), kept for the file retention and named by id; a task lists
/// ids in <c>files</c> and its session gets copies under their original names. Stateless: the bytes live in the
/// artifact store, which every silo shares.
/// </summary>
[Alias("sg.ITenantFilesGrain")]
public interface ITenantFilesGrain : IGrainWithStringKey
{
    /// <summary>Stores a file under <paramref name="fileId"/>; refused when its name or size is not acceptable.</summary>
    [Alias("Upload")]
    Task<FileReply> UploadAsync(string fileId, SessionFile file);

    /// <summary>Removes a file; false when there was none.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string fileId);

    /// <summary>The ids among <paramref name="fileIds"/> that do not name a live file of this tenant.</summary>
    [Alias("Missing")]
    Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> fileIds);
}

/// <summary>Where a tenant's uploaded file lives in the artifact store: a scope of its own, holding one artifact.</summary>
public static class TenantFiles
{
    public static string Scope(string tenant, string fileId) => $"upload:{tenant}:{fileId}";
}
