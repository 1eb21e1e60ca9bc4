namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// A tenant's Chrome extensions (Task API <c>POST/GET/DELETE /extension</c>), kept until deleted; a session lists ids in
/// <c>extensions</c> and gets a Chromium of its own started with them. Stateless: the packages live in the artifact
/// store, which every silo shares.
/// </summary>
[Alias("sg.ITenantExtensionsGrain")]
public interface ITenantExtensionsGrain : IGrainWithStringKey
{
    /// <summary>Checks an uploaded package (a zip or crx of an unpacked Manifest V3 extension) and keeps it under <paramref name="extensionId"/>.</summary>
    [Alias("Upload")]
    Task<SessionReply> UploadAsync(string extensionId, string fileName, byte[] package);

    /// <summary>The tenant's extensions, newest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<TenantExtension>> ListAsync();

    /// <summary>Removes an extension; false when there was none. Sessions that loaded it keep it.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string extensionId);

    /// <summary>The ids among <paramref name="extensionIds"/> that name no extension of this tenant.</summary>
    [Alias("Missing")]
    Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> extensionIds);
}

/// <summary>An uploaded extension: its id, the name of the file it came in, when it was uploaded (Unix ms), and its manifest's name and version.</summary>
[GenerateSerializer, Alias("sg.TenantExtension")]
public sealed record TenantExtension(
    [property: Id(0)] string Id,
    [property: Id(1)] string FileName,
    [property: Id(2)] long CreatedAt,
    [property: Id(3)] string Name,
    [property: Id(4)] string Version);

/// <summary>Where a tenant's extensions live in the artifact store: one scope per tenant, an artifact per extension, named by its id.</summary>
public static class TenantExtensions
{
    public static string Scope(string tenant) => $"extensions:{tenant}";
}
