using System.Globalization;
using System.Text;

namespace SessionGrid.Grains.Recording;

/// <summary>A frame of a recording: its JPEG file in the recording's folder, and when it was shown (Unix ms).</summary>
internal sealed record RecordedFrame(string File, long At);

/// <summary>A segment stored as an artifact: its name, how long it lasts (ms), and its format.</summary>
internal sealed record StoredSegment(string Name, long DurationMs)
{
    public VideoFormat Format => VideoFormat.OfSegment(Name)!;
}

/// <summary>
/// How a recording becomes a video with ffmpeg (in its <see cref="VideoFormat"/>): a segment from its frames, each shown
/// from its time until the next (only changes were captured: the timing is kept exactly, <c>-fps_mode vfr</c>), every
/// frame scaled into the recording's size; and the finished video from its segments, copied without re-encoding, each
/// segment lasting exactly its stored duration, so the video's time is the session's wall-clock time from its first frame.
/// </summary>
internal static class RecordingVideo
{
    private const string SegmentPrefix = "segment-";

    /// <summary>A stored segment's name: its number (so names sort in order), its duration and its format's extension.</summary>
    public static string SegmentName(int index, long durationMs, VideoFormat format) => $"{SegmentPrefix}{index:D6}-{durationMs}{format.SegmentExtension}";

    /// <summary>The stored segments among a recording's artifacts, in order.</summary>
    public static IReadOnlyList<StoredSegment> Segments(IEnumerable<string> names) =>
        [.. names.Select(ParseSegment).OfType<StoredSegment>().OrderBy(s => s.Name, StringComparer.Ordinal)];

    private static StoredSegment? ParseSegment(string name)
    {
        if (!name.StartsWith(SegmentPrefix, StringComparison.Ordinal) || VideoFormat.OfSegment(name) is not { } format)
        {
            return null;
        }

        var parts = name[SegmentPrefix.Length..^format.SegmentExtension.Length].Split('-');
        return parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var duration) ? new StoredSegment(name, duration) : null;
    }

    /// <summary>
    /// Encodes <paramref name="frames"/> (the first at the segment's start) into <paramref name="output"/>, the last
    /// frame shown until <paramref name="end"/>; null when it worked, else ffmpeg's error.
    /// </summary>
    public static async Task<string?> EncodeSegmentAsync(
        Ffmpeg ffmpeg, VideoFormat format, IReadOnlyList<RecordedFrame> frames, long end, (int Width, int Height) size, string output, CancellationToken cancellationToken)
    {
        var list = new StringBuilder("ffconcat version 1.0\n");
        for (var i = 0; i < frames.Count; i++)
        {
            var until = i + 1 < frames.Count ? frames[i + 1].At : end - 1;
            list.Append("file ").Append(Path.GetFileName(frames[i].File)).Append("\noption framerate 1000\nduration ")
                .Append(Seconds(Math.Max(1, until - frames[i].At))).Append('\n');
        }

        // The last frame again, so the one before lasts its duration (the concat demuxer drops the last file's).
        list.Append("file ").Append(Path.GetFileName(frames[^1].File)).Append("\noption framerate 1000\n");
        var listFile = Path.ChangeExtension(output, ".ffconcat");
        await File.WriteAllTextAsync(listFile, list.ToString(), cancellationToken);
        var (width, height) = size;
        return await ffmpeg.RunAsync(
        [
            "-f", "concat", "-safe", "0", "-i", listFile,
            "-vf", $"scale={width}:{height}:force_original_aspect_ratio=decrease,pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=white,setsar=1,format=yuv420p",
            "-fps_mode", "vfr", "-an",
            .. format.Encode, output,
        ], cancellationToken);
    }

    /// <summary>
    /// Joins <paramref name="segments"/> (files in <paramref name="folder"/>, in order, each lasting its duration, all of
    /// one format) into <paramref name="output"/> without re-encoding; null when it worked, else ffmpeg's error.
    /// </summary>
    public static async Task<string?> AssembleAsync(Ffmpeg ffmpeg, string folder, IReadOnlyList<StoredSegment> segments, string output, CancellationToken cancellationToken)
    {
        var list = new StringBuilder("ffconcat version 1.0\n");
        foreach (var segment in segments)
        {
            list.Append("file ").Append(segment.Name).Append("\nduration ").Append(Seconds(segment.DurationMs)).Append('\n');
        }

        var listFile = Path.Combine(folder, "recording.ffconcat");
        await File.WriteAllTextAsync(listFile, list.ToString(), cancellationToken);
        return await ffmpeg.RunAsync(
        [
            "-f", "concat", "-safe", "0", "-i", listFile, "-c", "copy",
            // Each packet lasts until the next (the last 1 ms), so the container's duration is the segments' sum.
            "-bsf:v", @"setts=duration=if(eq(NEXT_PTS\,NOPTS)\,1\,NEXT_PTS-PTS)",
            .. segments[0].Format.Join, output,
        ], cancellationToken);
    }

    /// <summary>The pixel size of a JPEG (from its frame header); null when it is not one.</summary>
    public static (int Width, int Height)? JpegSize(byte[] jpeg)
    {
        for (var i = 2; i + 8 < jpeg.Length;)
        {
            if (jpeg[i] != 0xFF)
            {
                return null;
            }

            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return (((jpeg[i + 7] << 8) | jpeg[i + 8]), ((jpeg[i + 5] << 8) | jpeg[i + 6]));
            }

            i += 2 + length;
        }

        return null;
    }

    private static string Seconds(long ms) => (ms / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
}
