using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// Pages for recordings: <c>/rec/color/{name}</c> fills the viewport with one colour (red, green, blue, purple, …) and
/// half a second later shows a small <c>#ready</c> mark, so a test that waits for the mark knows the colour was on screen
/// long enough to be recorded; <c>/rec/tab</c> (yellow, its <c>#ready</c> mark too) opens <c>/rec/color/purple</c> in a
/// new tab (<c>window.tab</c>) when <c>#open</c> is clicked; <c>/rec/busy</c> changes every animation frame.
/// </summary>
public static class RecordingPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/rec/color/{name}", (string name) => name.All(char.IsAsciiLetter)
            ? Html(name, $$"""
                <div style="position:fixed;inset:0;background:{{name}}"></div>
                <script>setTimeout(() => { const p = document.createElement('p'); p.id = 'ready'; p.style = 'position:fixed;left:0;top:0;margin:0;width:4px;height:4px;background:{{name}}'; document.body.append(p); }, 500);</script>
                """)
            : Results.NotFound());
        app.MapGet("/rec/tab", () => Html("Tab opener", """
            <div style="position:fixed;inset:0;background:yellow"></div>
            <button id="open" style="position:fixed;left:10px;top:10px" onclick="window.tab = window.open('/rec/color/purple', '_blank')">open</button>
            <script>setTimeout(() => { const p = document.createElement('p'); p.id = 'ready'; p.style = 'position:fixed;right:0;bottom:0;margin:0;width:4px;height:4px;background:yellow'; document.body.append(p); }, 500);</script>
            """));
        app.MapGet("/rec/busy", () => Html("Busy", """
            <div id="box" style="position:fixed;inset:0;font:bold 200px sans-serif"></div>
            <script>let n = 0; (function step() { const box = document.getElementById('box'); box.textContent = ++n; box.style.background = `hsl(${n % 360} 80% 60%)`; requestAnimationFrame(step); })();</script>
            """));
    }

    private static IResult Html(string title, string body) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body style=\"margin:0\">{body}</body></html>", "text/html");
}
