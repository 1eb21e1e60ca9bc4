namespace SessionGrid.Contracts.Sessions;

/// <summary>
/// One frame of a session's live view: a JPEG of the remote page's viewport. <see cref="Seq"/> increases with every
/// frame the session receives; <see cref="Width"/> and <see cref="Height"/> are the viewport's size in CSS pixels (the
/// JPEG may be smaller), so a viewer maps a point on the image to the page's coordinates.
/// </summary>
[GenerateSerializer, Alias("sg.LiveFrame")]
public sealed record LiveFrame(
    [property: Id(0)] long Seq,
    [property: Id(1)] byte[] Jpeg,
    [property: Id(2)] int Width,
    [property: Id(3)] int Height);

/// <summary>
/// The answer to a live-view frame request: refused (<see cref="SessionReply.Refusal"/> <c>Forbidden</c> for a wrong
/// token, <c>Closed</c> or <c>NotOpenHere</c> when the session is not live here), or accepted with the newest frame, which
/// is null when none came within the wait.
/// </summary>
[GenerateSerializer, Alias("sg.LiveFrameReply")]
public sealed record LiveFrameReply([property: Id(0)] SessionReply Reply, [property: Id(1)] LiveFrame? Frame);
