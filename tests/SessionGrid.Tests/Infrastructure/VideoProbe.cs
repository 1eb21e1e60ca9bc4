using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>What the OS package's ffprobe and ffmpeg read in a video file: its duration, its frames, each frame's average colour.</summary>
public static class VideoProbe
{
    /// <summary>The container's duration in seconds, as ffprobe reads it.</summary>
    public static async Task<double> DurationAsync(string file)
    {
        var json = JsonNode.Parse(await RunAsync("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name,width,height", "-of", "json", file))!;
        return double.Parse(json["format"]!["duration"]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>The codec, width and height of the first video stream.</summary>
    public static async Task<(string Codec, int Width, int Height)> StreamAsync(string file)
    {
        var json = JsonNode.Parse(await RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "json", file))!;
        var stream = json["streams"]![0]!;
        return (stream["codec_name"]!.GetValue<string>(), stream["width"]!.GetValue<int>(), stream["height"]!.GetValue<int>());
    }

    /// <summary>How many of the decoded frames differ from each other (by the MD5 of their pixels).</summary>
    public static async Task<int> DistinctFramesAsync(string file)
    {
        var lines = (await RunAsync("ffmpeg", "-v", "error", "-i", file, "-f", "framemd5", "-")).Split('\n');
        return lines.Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(',')[^1].Trim()).Distinct().Count();
    }

    /// <summary>Each decoded frame's average colour (the frame scaled to one pixel), in order.</summary>
    public static async Task<IReadOnlyList<(int R, int G, int B)>> ColorsAsync(string file)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", file, "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var pixels = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(pixels);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        var bytes = pixels.ToArray();
        return [.. Enumerable.Range(0, bytes.Length / 3).Select(i => ((int)bytes[3 * i], (int)bytes[3 * i + 1], (int)bytes[3 * i + 2]))];
    }

    /// <summary>Whether a frame's colour is close to <paramref name="expected"/> (JPEG and VP8 shift colours a little).</summary>
    public static bool Near((int R, int G, int B) color, (int R, int G, int B) expected) =>
        Math.Abs(color.R - expected.R) < 40 && Math.Abs(color.G - expected.G) < 40 && Math.Abs(color.B - expected.B) < 40;

    private static async Task<string> RunAsync(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await errors}");
        return await output;
    }
}
