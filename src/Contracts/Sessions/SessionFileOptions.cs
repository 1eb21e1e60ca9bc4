using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Contracts.Sessions;

/// <summary>Settings under <c>SessionGrid:Files</c>: files uploaded to sessions (read by the API and the silo alike).</summary>
public sealed class SessionFileOptions
{
    public const string Section = "SessionGrid:Files";

    /// <summary>The largest file a client may upload; larger uploads answer 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxUploadBytes { get; set; } = 10 << 20;

    /// <summary>How many files one session may hold; a new name beyond that is refused. 0: none.</summary>
    [Range(0, int.MaxValue)]
    public int MaxFilesPerSession { get; set; } = 20;

    /// <summary>How long an uploaded file is kept, from its upload.</summary>
    [Range(1, int.MaxValue)]
    public int RetentionHours { get; set; } = 24;

    /// <summary>How often expired files are removed.</summary>
    [Range(1, int.MaxValue)]
    public int SweepIntervalSeconds { get; set; } = 600;

    public const int MaxNameLength = 255;

    /// <summary>Null when <paramref name="name"/> is a usable file name, else why not.</summary>
    public static string? NameProblem(string? name) => name switch
    {
        null or "" => "a file name is required",
        { Length: > MaxNameLength } => $"a file name must be at most {MaxNameLength} characters",
        "." or ".." => "'.' and '..' are not file names",
        _ when name.Any(c => c is '/' or '\\' || char.IsControl(c)) => "a file name must not contain '/', '\\' or control characters",
        _ => null,
    };
}
