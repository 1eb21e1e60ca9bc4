using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// The agent's secrets and additional tools test pages: <c>/agent/secret-form</c> (a GET form whose key field the page
/// echoes as it is typed, sent to <c>/agent/echo</c>, which shows it again), <c>/agent/other-form</c> (a field on a page
/// no secret allows) and <c>/agent/tools</c> (a menu opened by hovering, a card to drag onto a lane, a tall page).
/// </summary>
public static class AgentPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/agent/secret-form", () => Html("Secret form", """
            <form method="get" action="/agent/echo">
              <input id="api-key" name="api_key"> <input id="note" name="note"> <button type="submit">Send</button>
            </form>
            <p id="live"></p>
            <script>
              document.getElementById('api-key').addEventListener('input', e => document.getElementById('live').textContent = 'Live: ' + e.target.value);
            </script>
            """));
        app.MapGet("/agent/echo", (HttpRequest request) => Html("Echo", $"<p id=\"received\">Received: {WebUtility.HtmlEncode(request.Query["api_key"])}</p>"));
        app.MapGet("/agent/other-form", () => Html("Other form", """<input id="other" name="other">"""));
        app.MapGet("/agent/tools", () => Html("Tools", """
            <button id="menu">Products</button> <p id="revealed"></p>
            <div id="card" draggable="true" role="button" style="width:120px;height:40px;background:#ddd">Card</div>
            <div id="lane" role="button" style="width:200px;height:80px;background:#eef">Done lane</div>
            <p id="dropped"></p>
            <div style="height:3000px"></div>
            <p>The end of a tall page</p>
            <script>
              document.getElementById('menu').addEventListener('mouseover', () => document.getElementById('revealed').textContent = 'Enterprise plan revealed');
              document.getElementById('card').addEventListener('dragstart', e => e.dataTransfer.setData('text/plain', 'Card'));
              const lane = document.getElementById('lane');
              lane.addEventListener('dragover', e => e.preventDefault());
              lane.addEventListener('drop', e => { e.preventDefault(); document.getElementById('dropped').textContent = e.dataTransfer.getData('text/plain') + ' dropped in Done lane'; });
            </script>
            """));
    }

    private static IResult Html(string title, string body) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html");
}
