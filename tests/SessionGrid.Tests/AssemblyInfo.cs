// The tests read /proc and drive the OS package's Chromium: they run on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
