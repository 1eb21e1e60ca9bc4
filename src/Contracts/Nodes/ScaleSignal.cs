using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Contracts.Nodes;

/// <summary>The cluster's scale settings under <c>SessionGrid:Cluster</c>, read where the scale signal is computed (every API).</summary>
public sealed class ClusterScaleOptions
{
    public const string Section = "SessionGrid:Cluster";

    /// <summary>
    /// The share of the silos' browser capacity the scale signal aims to use: below 1 leaves headroom for the sessions
    /// that arrive while a new silo starts. <c>desired = max(1, ceil((busy + waiting) / (per-silo capacity × this)))</c>.
    /// </summary>
    [Range(0.05, 1.0)]
    public double TargetUtilisation { get; set; } = 0.7;
}

/// <summary>
/// How many silos the cluster needs for the sessions it has now: <see cref="Busy"/> (holding a browser) and
/// <see cref="Waiting"/> (queued for one) over the per-silo capacity, with headroom. Draining silos count neither as
/// silos nor as capacity; the sessions they still hold count as busy (their profile sessions move to the others).
/// </summary>
public sealed record ScaleSignal(int Silos, int Capacity, int Busy, int Waiting, int Desired)
{
    /// <param name="nodes">Every node's last report (the capacity board's).</param>
    /// <param name="targetUtilisation">The share of capacity to aim at (0.05–1).</param>
    public static ScaleSignal Of(IReadOnlyList<NodeStatus> nodes, double targetUtilisation)
    {
        var live = nodes.Where(n => !n.Draining).ToList();
        var busy = nodes.Sum(n => Math.Max(0, n.Sessions - n.Waiting));
        var waiting = nodes.Sum(n => n.Waiting);
        var perSilo = live.Count > 0 ? live.Max(n => n.Capacity) : nodes.Count > 0 ? nodes.Max(n => n.Capacity) : 1;
        return new ScaleSignal(live.Count, live.Sum(n => n.Capacity), busy, waiting, DesiredSilos(busy + waiting, Math.Max(1, perSilo), targetUtilisation));
    }

    /// <summary><c>max(1, ceil(sessions / (perSilo × targetUtilisation)))</c>.</summary>
    public static int DesiredSilos(int sessions, int perSilo, double targetUtilisation)
    {
        var room = perSilo * Math.Clamp(targetUtilisation, 0.05, 1.0);
        // A rounding error must not ask for a silo more: 7 sessions at 10 × 0.7 are exactly one silo.
        return Math.Max(1, (int)Math.Ceiling(Math.Round(sessions / room, 9)));
    }
}
