namespace SessionGrid.Contracts.Tasks;

/// <summary>The engine's task lifecycle: waiting → running → done | failed | cancelled. Each dialect renders it in its own words.</summary>
[GenerateSerializer, Alias("sg.TaskPhase")]
public enum TaskPhase
{
    Waiting = 0,
    Running = 1,
    Done = 2,
    Failed = 3,
    Cancelled = 4,
}

public static class TaskPhaseExtensions
{
    public static bool IsFinished(this TaskPhase phase) => phase >= TaskPhase.Done;
}
