using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(SessionGrid.Tests.Infrastructure.TestPages))]

namespace SessionGrid.Tests.Infrastructure;

/// <summary>The pages the tests browse, served on 127.0.0.1 by a real Kestrel server for the whole test run.</summary>
public sealed class TestPages : IAsyncLifetime
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => BaseUrl + path;

    /// <summary>The login site of the vault tests (<see cref="VaultSite"/>).</summary>
    public VaultSite Vault { get; } = new();

    /// <summary>Signed-in users of the account site, by session cookie value.</summary>
    public ConcurrentDictionary<string, string> AccountSessions { get; } = new();

    /// <summary>Files the upload form received, by file name: the bytes the browser sent.</summary>
    public ConcurrentDictionary<string, byte[]> Uploads { get; } = new();

    /// <summary>Per race id: how many browsers asked for <c>/race/{id}</c>, and how many of the slow ones gave up.</summary>
    public ConcurrentDictionary<string, int> RaceHits { get; } = new();
    public ConcurrentDictionary<string, int> RaceAbandoned { get; } = new();

    /// <summary>Requests that reached <c>/policy/probe/{id}</c>, by id (see <see cref="PolicyPages"/>).</summary>
    public ConcurrentDictionary<string, int> ProbeHits { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/", () => Html("SessionGrid test page", "<h1 id='greeting'>Hello from the test page</h1><a href='/second'>next</a>"));
        _app.MapGet("/second", () => Html("Second page", "<p id='second'>second</p>"));
        _app.MapGet("/ads", (string host, string m) => Html("Ad page",
            $"<p id='content'>the page's own content</p><img id='ad' src='http://{WebUtility.HtmlEncode(host)}/pixel.gif?m={WebUtility.HtmlEncode(m)}'>"));
        _app.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return Html("Slow page", "<p>slow</p>");
        });
        MapLoginSite(_app);
        MapAccountSite(_app);
        MapWidgets(_app);
        MapRace(_app);
        MapLiveViewPages(_app);
        PolicyPages.Map(_app, ProbeHits);
        AgentPages.Map(_app);
        DownloadPages.Map(_app);
        RecordingPages.Map(_app);
        Vault.Map(_app);
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// A race of <c>runners</c> browsers: the first to ask for <c>/race/{id}</c> gets its page once all have asked (or
    /// after 20 s), the others wait a minute.
    /// </summary>
    private void MapRace(WebApplication app) =>
        app.MapGet("/race/{id}", async (string id, int runners, CancellationToken ct) =>
        {
            if (RaceHits.AddOrUpdate(id, 1, (_, n) => n + 1) == 1)
            {
                var start = DateTime.UtcNow;
                while (RaceHits[id] < runners && DateTime.UtcNow - start < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(50, ct);
                }
            }
            else
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), ct);
                }
                catch (OperationCanceledException)
                {
                    RaceAbandoned.AddOrUpdate(id, 1, (_, n) => n + 1);
                    throw;
                }
            }

            return Html("Race", "<p id='done'>finished</p>");
        });

    /// <summary>The login site of seed 000's example: a home page linking to a login form that leads to a dashboard.</summary>
    private static void MapLoginSite(WebApplication app)
    {
        app.MapGet("/site/", () => Html("Example site", "<h1>Welcome</h1><a href=\"/login\">Log in</a>"));
        app.MapGet("/login", () => Html("Log in", """
            <form method="post" action="/login">
              <input id="email" name="email" type="email">
              <input id="password" name="password" type="password">
              <button type="submit">Sign in</button>
            </form>
            """));
        app.MapPost("/login", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var ok = form["password"] == "hunter2";
            return ok
                ? Html("Dashboard", $"<div id=\"dashboard\">Signed in as <span id=\"who\">{WebUtility.HtmlEncode(form["email"])}</span></div>")
                : Html("Log in", "<p id=\"error\">wrong password</p>");
        });
    }

    /// <summary>
    /// The profile tests' site: <c>/account/login</c> signs a user in with a session cookie (any user, password
    /// "hunter2"), <c>/account/</c> greets whoever the cookie names, and shows the page's own localStorage note.
    /// </summary>
    private void MapAccountSite(WebApplication app)
    {
        app.MapGet("/account/login", () => Html("Account login", """
            <form method="post" action="/account/login">
              <input id="user" name="user"><input id="password" name="password" type="password">
              <button id="sign-in" type="submit">Sign in</button>
            </form>
            """));
        app.MapPost("/account/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (form["password"] != "hunter2")
            {
                return Html("Account login", "<p id='error'>wrong password</p>");
            }

            var token = Guid.NewGuid().ToString("N");
            AccountSessions[token] = form["user"].ToString();
            http.Response.Cookies.Append("account", token, new CookieOptions { HttpOnly = true, Path = "/account" });
            return Results.Redirect("/account/");
        });
        app.MapGet("/account/", (HttpRequest request) =>
        {
            var user = request.Cookies["account"] is { } token && AccountSessions.TryGetValue(token, out var name) ? name : null;
            return Html("Account", (user is null ? "<p id='who'>signed out</p>" : $"<p id='who'>signed in as {WebUtility.HtmlEncode(user)}</p>")
                + "<p id='note'></p><script>document.getElementById('note').textContent = localStorage.getItem('note') ?? 'no note';</script>");
        });
    }

    /// <summary>
    /// Pages for the live view: a page of one solid colour, and a login form whose fields sit at known points of the
    /// viewport (<see cref="LiveLogin"/>), posting to the login site's <c>/login</c>.
    /// </summary>
    private static void MapLiveViewPages(WebApplication app)
    {
        app.MapGet("/color/{name}", (string name) => name is "red" or "blue" or "green"
            ? Html(name, $"<div id=\"color\" style=\"position:fixed;inset:0;background:{name}\"></div>")
            : Results.NotFound());
        app.MapGet("/live/login", () => Html("Log in", $"""
            <form method="post" action="/login">
              <input id="email" name="email" style="{LiveLogin.Style(LiveLogin.Email)}">
              <input id="password" name="password" type="password" style="{LiveLogin.Style(LiveLogin.Password)}">
              <button id="signin" type="submit" style="{LiveLogin.Style(LiveLogin.SignIn)}">Sign in</button>
            </form>
            """));
    }

    /// <summary>Elements for every action: inputs, a select, hover and click targets, a late element, a file form, a tall page.</summary>
    private void MapWidgets(WebApplication app)
    {
        app.MapGet("/widgets", () => Html("Widgets", """
            <input id="name"> <textarea id="notes"></textarea> <input id="keys">
            <select id="color"><option value="r">Red</option><option value="g">Green</option><option value="b">Blue</option></select>
            <div id="hover-target" style="width:200px;height:40px">hover me</div>
            <button id="counter">Count</button> <span id="clicks">0</span>
            <div id="hidden" style="display:none">hidden</div>
            <div id="spacer" style="height:3000px"></div>
            <p id="far">Far down the page</p>
            <script>
              document.getElementById('hover-target').addEventListener('mouseover', e => e.target.textContent = 'hovered');
              document.getElementById('counter').addEventListener('click', () => {
                const c = document.getElementById('clicks'); c.textContent = String(Number(c.textContent) + 1); });
              document.getElementById('keys').addEventListener('keydown', e => window.lastKey = e.key);
              document.addEventListener('keydown', e => window.lastDocKey = e.key);
              document.addEventListener('click', e => window.lastClick = [e.clientX, e.clientY]);
              setTimeout(() => { const p = document.createElement('p'); p.id = 'late'; p.textContent = 'arrived late'; document.body.append(p); }, 300);
            </script>
            """));
        app.MapGet("/upload", () => Html("Upload", """
            <form method="post" action="/upload" enctype="multipart/form-data">
              <input type="file" id="file" name="file"> <button id="send" type="submit">Send</button>
            </form>
            """));
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var file = form.Files["file"];
            if (file is null)
            {
                return Html("Upload", "<p id=\"received\">nothing</p>");
            }

            using var bytes = new MemoryStream();
            await file.CopyToAsync(bytes);
            Uploads[file.FileName] = bytes.ToArray();
            return Html("Upload", $"<p id=\"received\">{WebUtility.HtmlEncode(file.FileName)}:{bytes.Length}</p>");
        });
    }

    private static IResult Html(string title, string body) =>
        Results.Content($"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>", "text/html");
}
