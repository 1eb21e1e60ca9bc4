using System.Text.Json.Nodes;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;
using SessionGrid.Grains.Recording;

namespace SessionGrid.Grains.Sessions;

/// <summary>
/// The session's recording: a session that asked for one records its active page from the moment its browser opens,
/// with a <see cref="SessionRecorder"/> that works beside the grain (its start too); on a node without ffmpeg it records nothing and
/// says so (<c>recording_unavailable</c>). When the session ends the recorder finishes on its own (its last segment,
/// the finished video), nothing waits for it but a stopping silo (<see cref="Recordings"/>). A session restored on
/// another node after its node was lost keeps what was recorded there and records no more.
/// </summary>
public sealed partial class SessionGrain
{
    private SessionRecorder? _recorder;
    private bool _recordingAsked;

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

    /// <summary>Starts the recorder beside the session: the session's open does not wait for its screencast to start.</summary>
    private void StartRecording(SessionSpec spec, bool restoring)
    {
        if (restoring || !Records(spec))
        {
            return;
        }

        _recorder = new SessionRecorder(SessionId, services.Recordings, services.Recordings.Ffmpeg!, services.ArtifactsOf(SessionId), TaskRecord,
            services.Recording, services.Clock, log);
        _recorder.Start(_lease!);
    }

    /// <summary>
    /// A command waits until the recorder's screencast started (the open did not): the video shows what the first command
    /// did. Once started this returns at once.
    /// </summary>
    private Task RecordingStartedAsync() => _recorder?.StartedAsync(TimeSpan.FromSeconds(5)) ?? Task.CompletedTask;

    /// <summary>Stops the recording; it is stored beside the session as it ends.</summary>
    private void StopRecording() => _recorder?.StopAsync();

    /// <summary>
    /// A session that asked for a recording and ends without a recorder (it never opened, or it was restored here after
    /// its node was lost) tells its task record that none will finish it: what was stored, if anything, is the recording.
    /// </summary>
    private async Task AbandonRecordingAsync()
    {
        if (_recordingAsked && _recorder is null)
        {
            await TaskRecord.RecordingAsync(new RecordingProgress { Abandoned = true });
        }
    }
}
