namespace SessionGrid.Tests.Infrastructure;

/// <summary>Bytes (a video, a PNG) in a temporary file for ffprobe and ffmpeg to read, deleted when disposed.</summary>
public sealed class TempVideo : IDisposable
{
    private TempVideo(string path) => Path = path;

    public string Path { get; }

    public static TempVideo Of(byte[] bytes, string extension = ".webm")
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sessiongrid-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, bytes);
        return new TempVideo(path);
    }

    public void Dispose() => File.Delete(Path);
}
