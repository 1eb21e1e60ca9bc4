using System.Text.Json.Nodes;
using SessionGrid.Bench;

namespace SessionGrid.Tests.Bench;

/// <summary>The benchmark harness in its quick mode, so it cannot rot: every measurement runs and the files are written.</summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task A_quick_run_measures_everything_and_writes_its_json_and_markdown()
    {
        var folder = Directory.CreateTempSubdirectory("sessiongrid-bench-smoke-").FullName;
        try
        {
            var results = await BenchRunner.RunAsync(quick: true, folder, TextWriter.Null);

            var json = Assert.Single(Directory.GetFiles(Path.Combine(folder, "results"), "*-quick.json"));
            Assert.Equal(results.ToJsonString(), JsonNode.Parse(await File.ReadAllTextAsync(json))!.ToJsonString());
            Assert.True(results["a_workflow_ms"]!["raw_playwright"]!["p50"]!.GetValue<double>() > 0);
            Assert.True(results["a_workflow_ms"]!["task_api_events"]!["n"]!.GetValue<int>() == BenchSizes.Quick.Workflows);
            Assert.True(results["b_open_ms"]!["sessiongrid_concurrency_10"]!["n"]!.GetValue<int>() >= 10);
            Assert.True(results["c_load"]!["loaded"]!["actions_per_second"]!.GetValue<double>() > 0);
            Assert.True(results["d_density"]!["rss_after_mb"]!.GetValue<double>() > 0);
            Assert.True(results["e_api"]!["requests_per_second"]!.GetValue<double>() > 0);
            Assert.True(results["f_connect_lifecycle"]!["sequential"]!["total"]!["n"]!.GetValue<int>() > 0);
            Assert.True(results["f_connect_lifecycle"]!["raw_chromium_cdp_ms"]!["p50"]!.GetValue<double>() > 0);
            Assert.Equal(Environment.ProcessorCount, results["machine"]!["cores"]!.GetValue<int>());

            // i: the external client (a process of its own) ran every target's points, each lifecycle to its end.
            var lifecycle = results["i_external_lifecycle"]!;
            foreach (var (target, point) in new[] { ("sessiongrid", "sequential"), ("sessiongrid", "sequential_from_idle"), ("sessiongrid", "burst_3"),
                ("raw_cdp", "sequential"), ("raw_cdp", "burst_3"), ("raw_context", "sequential"), ("raw_context", "burst_3") })
            {
                Assert.True(lifecycle[target]![point]!["failures"]!.GetValue<int>() == 0, $"{target} {point}: {lifecycle[target]![point]!["failure_reasons"]}");
                Assert.True(lifecycle[target]![point]!["total"]!["p50"]!.GetValue<double>() > 0, $"{target} {point}");
            }

            Assert.True(lifecycle["sessiongrid"]!["sequential"]!["create"]!["p50"]!.GetValue<double>() > 0);

            var markdown = await File.ReadAllTextAsync(Path.Combine(folder, "RESULTS.md"));
            Assert.Contains("(quick run)", markdown);
            Assert.Equal(BenchRunner.Targets(results).Count, markdown.Split('\n').Count(l => l.EndsWith("| yes |") || l.EndsWith("| no |")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
