namespace SessionGrid.Grains.Browser;

/// <summary>No browser could be started for a session (Chromium missing, or its launch failed).</summary>
public sealed class BrowserUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
