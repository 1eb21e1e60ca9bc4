using System.Text.Json.Nodes;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Recording;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The session's recording: a session that asked for one records its active page from the moment its browser opens,
/// with a <see cref="SessionRecorder"/> that works beside the grain; on a node without ffmpeg it records nothing and
/// says so (<c>recording_unavailable</c>). When the session ends the recorder finishes on its own (its last segment,
/// the finished video), nothing waits for it but a stopping silo (<see cref="Recordings"/>). A session restored on
/// another node after its node was lost keeps what was recorded there and records no more.
/// </summary>
public sealed partial class SessionGrain
{
    private SessionRecorder? _recorder;

    /// <summary>Whether the session records: it asked to, and this node has ffmpeg.</summary>
    private bool Records(SessionSpec spec) => spec.Record && services.Recordings.Ffmpeg is not null;

    /// <summary>A session that asked for a recording this node cannot make hears why, at once.</summary>
    private async Task ReportRecordingUnavailableAsync(SessionSpec spec)
    {
        if (spec.Record && services.Recordings.Ffmpeg is null)
        {
            await TaskRecord.AppendAsync(TaskEvent.Notice("recording_unavailable",
                new JsonObject { ["reason"] = services.Recordings.UnavailableReason }.ToJsonString()));
        }
    }

    private async Task StartRecordingAsync(SessionSpec spec, bool restoring)
    {
        if (restoring || !Records(spec))
        {
            return;
        }

        _recorder = new SessionRecorder(SessionId, services.Recordings, services.Recordings.Ffmpeg!, services.ArtifactsOf(SessionId), TaskRecord,
            services.Recording, services.Clock, log);
        await _recorder.StartAsync(_lease!);
    }

    /// <summary>Stops the recording; it is stored beside the session as it ends.</summary>
    private void StopRecording() => _recorder?.StopAsync();
}
