namespace SessionGrid.Contracts.Tasks;

/// <summary>What a task is: an interactive browser session driven by events, or an agent task.</summary>
[GenerateSerializer, Alias("sg.TaskKind")]
public enum TaskKind
{
    Session = 0,
    Agent = 1,
}
