namespace SessionGrid.Contracts.Sessions;

/// <summary>What a live-view viewer does to the remote page. Points are CSS pixels of the page's viewport.</summary>
[GenerateSerializer, Alias("sg.LiveInput")]
public abstract record LiveInput;

/// <summary>What a <see cref="LiveMouse"/> does at its point.</summary>
[GenerateSerializer, Alias("sg.LiveMouseAction")]
public enum LiveMouseAction
{
    Move = 0,
    Down = 1,
    Up = 2,
    /// <summary>Down and up at the point.</summary>
    Click = 3,
}

[GenerateSerializer, Alias("sg.LiveMouseButton")]
public enum LiveMouseButton
{
    Left = 0,
    Middle = 1,
    Right = 2,
}

/// <summary>Moves the mouse to a point, then presses, releases or clicks a button there (or only moves).</summary>
[GenerateSerializer, Alias("sg.LiveMouse")]
public sealed record LiveMouse(
    [property: Id(0)] LiveMouseAction Action,
    [property: Id(1)] double X,
    [property: Id(2)] double Y,
    [property: Id(3)] LiveMouseButton Button = LiveMouseButton.Left) : LiveInput;

/// <summary>Turns the mouse wheel over a point by a distance in CSS pixels.</summary>
[GenerateSerializer, Alias("sg.LiveWheel")]
public sealed record LiveWheel(
    [property: Id(0)] double X,
    [property: Id(1)] double Y,
    [property: Id(2)] double DeltaX,
    [property: Id(3)] double DeltaY) : LiveInput;

/// <summary>Presses a key (down and up) in the focused element: a Playwright key name (<c>Enter</c>, <c>Backspace</c>, <c>ArrowLeft</c>, <c>Control+A</c>).</summary>
[GenerateSerializer, Alias("sg.LiveKey")]
public sealed record LiveKey([property: Id(0)] string Key) : LiveInput;

/// <summary>Inserts text into the focused element, as typing or pasting it would.</summary>
[GenerateSerializer, Alias("sg.LiveText")]
public sealed record LiveText([property: Id(0)] string Text) : LiveInput;
