namespace SessionGrid.Grains.Recording;

/// <summary>
/// A recording's container and codec (<see cref="RecordingOptions.Format"/>): how ffmpeg encodes a segment (one thread,
/// no frames out of order, a keyframe at least every 50 frames so a player seeks), which container the segments are in,
/// and how they are joined into the finished video. <see cref="Mp4"/>: H.264 (libx264), segments in Matroska, the video
/// an MP4 with its index first (a browser plays it before it has it all); <see cref="Webm"/>: VP8 (libvpx) throughout.
/// </summary>
public sealed record VideoFormat(string Name, string ContentType, string Extension, string SegmentExtension, IReadOnlyList<string> Encode, IReadOnlyList<string> Join)
{
    public static readonly VideoFormat Mp4 = new("mp4", "video/mp4", ".mp4", ".mkv",
        ["-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-bf", "0", "-g", "50", "-threads", "1", "-pix_fmt", "yuv420p", "-f", "matroska"],
        ["-movflags", "+faststart", "-f", "mp4"]);

    public static readonly VideoFormat Webm = new("webm", "video/webm", ".webm", ".webm",
        ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-crf", "10", "-b:v", "2M", "-g", "50", "-auto-alt-ref", "0", "-threads", "1", "-f", "webm"],
        ["-f", "webm"]);

    public static readonly IReadOnlyList<VideoFormat> All = [Mp4, Webm];

    /// <summary>The finished video's artifact name.</summary>
    public string FinalName => "recording" + Extension;

    /// <summary>The format called <paramref name="name"/> (<c>mp4</c>, <c>webm</c>); null for another name.</summary>
    public static VideoFormat? Named(string? name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The format whose segments end in <paramref name="segmentName"/>'s extension; null for none.</summary>
    public static VideoFormat? OfSegment(string segmentName) => All.FirstOrDefault(f => segmentName.EndsWith(f.SegmentExtension, StringComparison.Ordinal));
}
