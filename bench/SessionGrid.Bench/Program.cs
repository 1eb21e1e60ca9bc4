using System.Text.Json;
using SessionGrid.Bench;

// ./bench.sh [--quick] [--only abf | --only lifecycle] [--output dir]: measures SessionGrid beside raw Playwright and
// writes bench/results/*.json and (for a run of every point) a table in bench/RESULTS.md.
// SessionGrid.Bench client <plan>: the external client of point i, started by the bench itself.
if (args is ["client", var plan])
{
    return await LifecycleClient.RunAsync(plan);
}

if (args.Contains("--help"))
{
    Console.WriteLine("""
        ./bench.sh [--quick] [--only <points>] [--output <folder>]
          --quick            a few iterations of each point (the test suite's smoke run)
          --only <points>    some points, by letter (a–i, e.g. abf), or "lifecycle" for i alone; writes JSON, no RESULTS.md table
          --output <folder>  where results/ and RESULTS.md go (default: bench/)
        Points: a workflow, b open latency, c load, d density, e API throughput, f connect lifecycle (in-process client,
        warm pools filled before each point), g SDK-style commands, h MCP round trip, i external-client lifecycle
        (a client process of its own, default settings, no pool filling between points; beside raw Chromium over CDP).
        """);
    return 0;
}

var quick = args.Contains("--quick");
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault()
    ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() switch
{
    "lifecycle" => new HashSet<char> { 'i' },
    var letters => letters?.ToHashSet(),
};
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

    if (results["i_external_lifecycle"] is { } lifecycle)
    {
        Print(BenchRunner.ExternalLifecycleTargets(results));
        Console.WriteLine(ExternalLifecycle.Table(lifecycle, results["machine"]!["load_average_at_start"]!.GetValue<double>()));
    }

    return 0;
}

Print(BenchRunner.Targets(results));

Console.WriteLine($"Results written to {Path.Combine(output, "RESULTS.md")}");
return 0;

static void Print(IEnumerable<(string Target, string Figure, bool Met)> targets)
{
    foreach (var (target, figure, met) in targets)
    {
        Console.WriteLine($"{(met ? "met " : "MISS")}  {figure,-12} {target}");
    }
}
