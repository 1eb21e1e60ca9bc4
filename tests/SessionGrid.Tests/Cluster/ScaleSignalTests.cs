using SessionGrid.Contracts.Nodes;

namespace SessionGrid.Tests.Cluster;

/// <summary>The scale signal's arithmetic: desired = max(1, ceil((busy + waiting) / (per-silo capacity × target utilisation))).</summary>
public sealed class ScaleSignalTests
{
    private static NodeStatus Node(string name, int capacity, int busy, int waiting, bool draining = false) =>
        new(name, null, capacity, draining ? 0 : capacity - busy, waiting, busy + waiting, 1, null, null, 0) { Draining = draining };

    [Theory]
    [InlineData(0, 10, 0.7, 1)]   // an idle cluster keeps one silo
    [InlineData(7, 10, 0.7, 1)]   // exactly 70 % of one silo
    [InlineData(8, 10, 0.7, 2)]
    [InlineData(14, 10, 0.7, 2)]
    [InlineData(15, 10, 0.7, 3)]
    [InlineData(50, 50, 1.0, 1)]
    [InlineData(51, 50, 1.0, 2)]
    [InlineData(30, 4, 0.5, 15)]
    public void Desired_silos_follow_the_formula(int sessions, int perSilo, double target, int desired) =>
        Assert.Equal(desired, ScaleSignal.DesiredSilos(sessions, perSilo, target));

    [Fact]
    public void Running_and_queued_sessions_count_alike_and_draining_silos_are_no_capacity()
    {
        var signal = ScaleSignal.Of(
        [
            Node("a", 10, busy: 10, waiting: 3),
            Node("b", 10, busy: 6, waiting: 0),
            Node("c", 10, busy: 2, waiting: 1, draining: true),
        ], targetUtilisation: 0.7);

        Assert.Equal(new ScaleSignal(Silos: 2, Capacity: 20, Busy: 18, Waiting: 4, Desired: 4), signal);
    }

    [Fact]
    public void With_every_silo_draining_or_none_reported_one_silo_is_wanted()
    {
        Assert.Equal(new ScaleSignal(0, 0, 0, 0, 1), ScaleSignal.Of([], 0.7));
        var drained = ScaleSignal.Of([Node("a", 4, busy: 3, waiting: 2, draining: true)], 0.7);
        Assert.Equal(new ScaleSignal(0, 0, 3, 2, 2), drained);
    }
}
