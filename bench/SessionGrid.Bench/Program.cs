using SessionGrid.Bench;

// ./bench.sh [--quick]: measures SessionGrid beside raw Playwright and writes bench/results/*.json and bench/RESULTS.md.
var quick = args.Contains("--quick");
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault()
    ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));
var results = await BenchRunner.RunAsync(quick, output, Console.Out);
foreach (var (target, figure, met) in BenchRunner.Targets(results))
{
    Console.WriteLine($"{(met ? "met " : "MISS")}  {figure,-12} {target}");
}

Console.WriteLine($"Results written to {Path.Combine(output, "RESULTS.md")}");
