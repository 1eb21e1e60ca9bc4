using SessionGrid.Bench;

namespace SessionGrid.Tests.Bench;

/// <summary>The recording benchmark (<c>--only r</c>) in its quick mode, so it cannot rot: every figure is measured and written.</summary>
public sealed class RecordingBenchSmokeTests
{
    [Fact]
    public async Task A_quick_recording_run_measures_the_workflow_cpu_and_bytes_and_writes_its_section()
    {
        var folder = Directory.CreateTempSubdirectory("sessiongrid-bench-rec-").FullName;
        try
        {
            var results = await BenchRunner.RunAsync(quick: true, folder, TextWriter.Null, new HashSet<char> { 'r' });

            var r = results["r_recording"]!;
            Assert.True(r["workflow_on_over_off_p50"]!.GetValue<double>() > 0);
            Assert.True(r["busy_on"]!["bytes_per_recorded_minute"]!.GetValue<double>() > 0);
            Assert.True(r["idle_on"]!["bytes_per_recorded_minute"]!.GetValue<double>() > 0);
            Assert.Equal(0, r["busy_off"]!["video_bytes"]!.GetValue<long>());
            Assert.True(r["busy_on"]!["cpu_seconds"]!.GetValue<double>() > 0);
            Assert.False(results.ContainsKey("a_workflow_ms"));
            var markdown = await File.ReadAllTextAsync(Path.Combine(folder, "RESULTS.md"));
            Assert.Contains("(recording, quick run)", markdown);
            Assert.Contains("bytes per recorded minute", markdown);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
