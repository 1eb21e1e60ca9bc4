using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Grains.Actions;
using SessionGrid.Grains.Artifacts;

namespace SessionGrid.Grains.Agent;

/// <summary>
/// Keeps what the agent's <c>screenshot</c> and <c>print_page</c> tools capture as files of the session's downloads
/// (artifact scope <see cref="Scope"/>: <c>screenshot-01.png</c>, <c>page-01.pdf</c>, … numbered per kind), for
/// <see cref="AgentOptions.CaptureRetentionHours"/>. The model is told the file's name, never given its bytes.
/// </summary>
public sealed class AgentCaptures(IArtifactStore artifacts, IOptions<AgentOptions> options, TimeProvider clock)
{
    /// <summary>The artifact scope of a session's downloads.</summary>
    public static string Scope(string sessionId) => SessionArtifacts.DownloadsScope(sessionId);

    /// <summary>Stores the capture a screenshot or pdf action returned; its outcome then names the file (and its size) instead.</summary>
    public async Task<ActionOutcome> SaveAsync(ActionScope scope, string tool, ActionOutcome captured, CancellationToken cancellationToken)
    {
        if (!captured.Ok || captured.Value is null)
        {
            return captured with { Action = tool };
        }

        var (field, prefix, extension, contentType) = captured.Action == "pdf"
            ? ("pdf", "page", "pdf", "application/pdf")
            : ("screenshot", "screenshot", "png", "image/png");
        var bytes = Convert.FromBase64String(JsonNode.Parse(captured.Value)![field]!.GetValue<string>());
        var downloads = Scope(scope.SessionId);
        var taken = (await artifacts.ListAsync(downloads, cancellationToken)).Count(f => f.Name.StartsWith(prefix + "-", StringComparison.Ordinal));
        var name = $"{prefix}-{taken + 1:00}.{extension}";
        var expiresAt = clock.GetUtcNow().AddHours(options.Value.CaptureRetentionHours).ToUnixTimeMilliseconds();
        await artifacts.PutAsync(downloads, name, contentType, bytes, expiresAt, cancellationToken);
        return captured with { Action = tool, Value = JsonSerializer.Serialize(new { file = name, size = bytes.Length }) };
    }
}
