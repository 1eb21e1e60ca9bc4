using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using SessionGrid.Api.LiveView;
using SessionGrid.Contracts.Sessions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Tests.LiveView;

/// <summary>The live view's links (their base: the configured one, the request's, the server's own address) and its input messages.</summary>
public sealed class LiveViewLinkTests
{
    private const string Token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http://0.0.0.0:9000", "http://localhost:9000")]
    [InlineData("http://[::]:8080", "http://localhost:8080")]
    [InlineData("http://+:80", "http://localhost:80")]
    [InlineData("https://*:8443", "https://localhost:8443")]
    [InlineData("http://grid.internal:8080/base", "http://grid.internal:8080/base")]
    public void The_servers_own_address_is_the_base_with_wildcard_hosts_read_as_localhost(string address, string expected) =>
        Assert.Equal(expected, LiveViewLinks.ListeningBase([address]));

    [Fact]
    public async Task The_engines_link_uses_the_configured_base_else_the_listening_address_and_opens_the_view_interactive()
    {
        var listening = Links(null, "http://0.0.0.0:9000");
        Assert.Equal($"http://localhost:9000/live/task_1?t={Token}&interactive=true", await listening.LinkForAsync("tenant", "task_1", Token, CancellationToken.None));

        var configured = Links("https://grid.example.com/sg/", "http://0.0.0.0:9000");
        Assert.Equal($"https://grid.example.com/sg/live/task_1?t={Token}&interactive=true", await configured.LinkForAsync("tenant", "task_1", Token, CancellationToken.None));

        Assert.Null(await Links(null).LinkForAsync("tenant", "task_1", Token, CancellationToken.None));
    }

    [Fact]
    public void A_task_api_live_url_uses_the_configured_base_else_the_requests_own_and_is_null_once_the_task_finished()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "https";
        request.Host = new HostString("api.example.com", 8443);
        var running = Task(TaskPhase.Running);

        Assert.Equal($"https://api.example.com:8443/live/task_1?t={Token}", Links(null, "http://0.0.0.0:9000").ForTask(request, running));
        Assert.Equal($"https://grid.example.com/live/task_1?t={Token}", Links("https://grid.example.com").ForTask(request, running));
        Assert.NotNull(Links(null).ForTask(request, Task(TaskPhase.Waiting)));
        Assert.Null(Links(null).ForTask(request, Task(TaskPhase.Done)));
        Assert.Null(Links(null).ForTask(request, running with { LiveToken = null }));
    }

    [Theory]
    [InlineData("https://grid.example.com", true)]
    [InlineData("http://localhost:8080/sg", true)]
    [InlineData("", true)]
    [InlineData("grid.example.com", false)]
    [InlineData("ftp://grid.example.com", false)]
    [InlineData("https://grid.example.com/?x=1", false)]
    public void The_public_base_url_must_be_an_absolute_http_url(string value, bool valid) =>
        Assert.Equal(valid, new LiveViewOptions { PublicBaseUrl = value }.IsValid());

    [Fact]
    public void Input_messages_become_engine_input_and_bad_ones_say_why()
    {
        Assert.Equal(new LiveMouse(LiveMouseAction.Click, 10.5, 20, LiveMouseButton.Right),
            LiveInputJson.Parse("""{"type": "mouse", "action": "click", "x": 10.5, "y": 20, "button": "right"}""", out _));
        Assert.Equal(new LiveMouse(LiveMouseAction.Move, 1, 2), LiveInputJson.Parse("""{"type": "mouse", "action": "move", "x": 1, "y": 2}""", out _));
        Assert.Equal(new LiveWheel(1, 2, 0, -120), LiveInputJson.Parse("""{"type": "wheel", "x": 1, "y": 2, "deltaX": 0, "deltaY": -120}""", out _));
        Assert.Equal(new LiveKey("Control+A"), LiveInputJson.Parse("""{"type": "key", "key": "Control+A"}""", out _));
        Assert.Equal(new LiveText("héllo"), LiveInputJson.Parse("""{"type": "text", "text": "héllo"}""", out _));

        foreach (var (message, error) in new[]
        {
            ("not json", "an input message is a JSON object"),
            ("[1]", "an input message is a JSON object"),
            ("""{"type": "drag"}""", "type must be mouse, wheel, key or text"),
            ("""{"type": "mouse", "action": "hover", "x": 1, "y": 2}""", "action must be move, down, up or click"),
            ("""{"type": "mouse", "action": "down", "x": "1", "y": 2}""", "x must be a number"),
            ("""{"type": "mouse", "action": "down", "x": 1, "y": 2, "button": "fourth"}""", "button must be left, middle or right"),
            ("""{"type": "wheel", "x": 1, "y": 2, "deltaX": 0}""", "deltaY must be a number"),
            ("""{"type": "key"}""", "key is required"),
            ("""{"type": "text", "text": 5}""", "text is required"),
        })
        {
            Assert.Null(LiveInputJson.Parse(message, out var actual));
            Assert.Equal(error, actual);
        }
    }

    private static TaskSnapshot Task(TaskPhase phase) =>
        new("task_1", "tenant", TaskKind.Session, phase, DeviceKind.Desktop, null, null, null, 0, null, []) { LiveToken = Token };

    private static LiveViewLinks Links(string? publicBaseUrl, params string[] addresses) =>
        new(Options.Create(new LiveViewOptions { PublicBaseUrl = publicBaseUrl }), new ListeningServer(addresses));

    /// <summary>A server that only tells where it listens.</summary>
    private sealed class ListeningServer : IServer
    {
        public ListeningServer(IEnumerable<string> addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }

            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => throw new NotSupportedException();

        public Task StopAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
