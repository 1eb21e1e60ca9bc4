namespace SessionGrid.Bench;

/// <summary>Percentiles of a set of samples (milliseconds), nearest-rank.</summary>
public sealed record Stats(int Count, double P50, double P95, double P99, double Mean)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = samples.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Stats(sorted.Length, Round(At(0.50)), Round(At(0.95)), Round(At(0.99)), Round(sorted.Average()));
    }

    private static double Round(double value) => Math.Round(value, 1);
}
