using System.Text.Json;
using SessionGrid.Bench;

// ./bench.sh [--quick] [--only abf] [--output dir]: measures SessionGrid beside raw Playwright and writes
// bench/results/*.json and (for a run of every point) a table in bench/RESULTS.md.
var quick = args.Contains("--quick");
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault()
    ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.ToHashSet();
var results = await BenchRunner.RunAsync(quick, output, Console.Out, only);
if (!BenchRunner.IsComplete(results))
{
    Console.WriteLine(results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    if (results.ContainsKey("g_sdk_command"))
    {
        // g's targets need no other point's figures: a partial run shows them too.
        Print(BenchRunner.SdkCommandTargets(results));
        Console.WriteLine(BenchRunner.SdkCommandSummary(results["g_sdk_command"]!));
    }

    return;
}

Print(BenchRunner.Targets(results));

Console.WriteLine($"Results written to {Path.Combine(output, "RESULTS.md")}");

static void Print(IEnumerable<(string Target, string Figure, bool Met)> targets)
{
    foreach (var (target, figure, met) in targets)
    {
        Console.WriteLine($"{(met ? "met " : "MISS")}  {figure,-12} {target}");
    }
}
