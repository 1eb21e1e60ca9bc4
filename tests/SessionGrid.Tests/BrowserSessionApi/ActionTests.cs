using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.BrowserSessionApi;

/// <summary>Each action of the vocabulary through the Browser Session API against pages the tests serve: its success and its failure codes.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ActionTests(SharedHost shared, TestPages pages)
{
    private readonly BrowserSessionClient _client = shared.Host.SessionClient();

    [Fact]
    public async Task Navigate_reports_the_url_and_status_and_fails_as_400_408_or_422()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, new JsonObject
        {
            ["actions"] = Actions(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/second"), ["waitUntil"] = "domcontentloaded" }),
        });
        Assert.Equal(pages.Url("/second"), results[0]!["url"]!.GetValue<string>());
        Assert.Equal(200, results[0]!["status"]!.GetValue<int>());

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "navigate", ["url"] = "file:///etc/passwd" }), HttpStatusCode.BadRequest, "url_refused");
        await ProblemAsync(session, Single(new JsonObject { ["type"] = "navigate", ["url"] = pages.Url("/slow"), ["timeoutMs"] = 500 }), HttpStatusCode.RequestTimeout, "timed out");
        await ProblemAsync(session, Single(new JsonObject { ["type"] = "navigate", ["url"] = $"http://127.0.0.1:{Ports.Free()}/" }), (HttpStatusCode)422, "ERR_CONNECTION_REFUSED");
    }

    [Fact]
    public async Task Click_by_css_text_and_xpath_selectors_and_by_coordinates()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "click", ["selector"] = "#counter" },
            new JsonObject { ["type"] = "click", ["selector"] = "text=Count" },
            new JsonObject { ["type"] = "click", ["selector"] = "xpath=//button[@id='counter']" },
            new JsonObject { ["type"] = "click", ["coordinates"] = new JsonObject { ["x"] = 5, ["y"] = 700 } },
            Evaluate("[document.getElementById('clicks').textContent, window.lastClick]")));
        Assert.Equal("""["3",[5,700]]""", results[4]!["value"]!.ToJsonString());
        Assert.Equal("""{"type":"click","ok":true}""", results[0]!.ToJsonString());
    }

    [Fact]
    public async Task Click_on_nothing_is_404_on_a_hidden_element_408_and_outside_the_viewport_400_before_anything_runs()
    {
        var session = await _client.OpenAsync();
        await OkAsync(session, Task(pages.Url("/widgets")));

        var missing = await ProblemAsync(session, Task(null,
            new JsonObject { ["type"] = "click", ["selector"] = "#counter" },
            new JsonObject { ["type"] = "click", ["selector"] = "#missing", ["timeoutMs"] = 300 }), HttpStatusCode.NotFound, "#missing");
        Assert.Equal(1, missing["actionIndex"]!.GetValue<int>());
        Assert.Equal("click", missing["actionType"]!.GetValue<string>());
        Assert.Equal("""[{"type":"click","ok":true}]""", missing["actionResults"]!.ToJsonString());

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "click", ["selector"] = "#hidden", ["timeoutMs"] = 500 }), HttpStatusCode.RequestTimeout, "timed out");

        var outside = await ProblemAsync(session, Task(null,
            new JsonObject { ["type"] = "click", ["selector"] = "#counter" },
            new JsonObject { ["type"] = "click", ["coordinates"] = new JsonObject { ["x"] = 1280, ["y"] = 10 } }), HttpStatusCode.BadRequest, "outside the 1280x800 viewport");
        Assert.Equal(1, outside["actionIndex"]!.GetValue<int>());

        // The refused task ran nothing: only the first task's click counted.
        Assert.Equal("1", (await ValueAsync(session, "document.getElementById('clicks').textContent")).GetValue<string>());
    }

    [Fact]
    public async Task Type_counts_characters_and_fails_on_a_missing_or_read_only_element()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "type", ["selector"] = "#name", ["text"] = "Zoë 🚀" },
            new JsonObject { ["type"] = "type", ["selector"] = "#notes", ["text"] = "" },
            Evaluate("document.getElementById('name').value")));
        Assert.Equal(5, results[0]!["charactersTyped"]!.GetValue<int>());
        Assert.Equal(0, results[1]!["charactersTyped"]!.GetValue<int>());
        Assert.Equal("Zoë 🚀", results[2]!["value"]!.GetValue<string>());

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "type", ["selector"] = "#nope", ["text"] = "x", ["timeoutMs"] = 300 }), HttpStatusCode.NotFound, "#nope");
        await ProblemAsync(session, Single(new JsonObject { ["type"] = "type", ["selector"] = "#hover-target", ["text"] = "x", ["timeoutMs"] = 1000 }), (HttpStatusCode)422, "not");
    }

    [Fact]
    public async Task Press_sends_a_key_to_an_element_or_the_page_and_rejects_unknown_keys()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "press", ["selector"] = "#keys", ["key"] = "Enter" },
            Evaluate("document.activeElement.blur()"),
            new JsonObject { ["type"] = "press", ["key"] = "Escape" },
            Evaluate("[window.lastKey, window.lastDocKey]")));
        Assert.Equal("""["Enter","Escape"]""", results[3]!["value"]!.ToJsonString());

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "press", ["key"] = "NotAKey" }), (HttpStatusCode)422, "NotAKey");
        await ProblemAsync(session, Single(new JsonObject { ["type"] = "press", ["key"] = "a", ["selector"] = "#none", ["timeoutMs"] = 300 }), HttpStatusCode.NotFound, "#none");
    }

    [Fact]
    public async Task Scroll_to_coordinates_an_element_or_a_text()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "scroll", ["coordinates"] = new JsonObject { ["x"] = 0, ["y"] = 1000 } },
            new JsonObject { ["type"] = "scroll", ["coordinates"] = new JsonObject { ["x"] = 0, ["y"] = 0 } },
            new JsonObject { ["type"] = "scroll", ["selector"] = "#far" },
            new JsonObject { ["type"] = "scroll", ["coordinates"] = new JsonObject { ["x"] = 0, ["y"] = 0 } },
            new JsonObject { ["type"] = "scroll", ["text"] = "Far down the page" }));
        Assert.Equal(1000, results[0]!["scrollY"]!.GetValue<double>());
        Assert.Equal(0, results[1]!["scrollY"]!.GetValue<double>());
        Assert.True(results[2]!["scrollY"]!.GetValue<double>() > 2000);
        Assert.True(results[4]!["scrollY"]!.GetValue<double>() > 2000);

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "scroll", ["text"] = "no such words anywhere", ["timeoutMs"] = 300 }), HttpStatusCode.NotFound, "no such words");
    }

    [Fact]
    public async Task Wait_for_an_element_or_a_text_and_time_out_as_408()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "wait", ["selector"] = "#late", ["timeoutMs"] = 5000 },
            new JsonObject { ["type"] = "wait", ["text"] = "arrived late" }));
        Assert.Equal(2, results.Count);

        var timedOut = await ProblemAsync(session, Single(new JsonObject { ["type"] = "wait", ["selector"] = "#never", ["timeoutMs"] = 300 }), HttpStatusCode.RequestTimeout, "300 ms");
        Assert.Equal("wait", timedOut["actionType"]!.GetValue<string>());
        await ProblemAsync(session, Single(new JsonObject { ["type"] = "wait", ["text"] = "never shown", ["timeoutMs"] = 300 }), HttpStatusCode.RequestTimeout, "timed out");
    }

    [Fact]
    public async Task Evaluate_returns_the_value_and_a_throwing_script_is_422_with_the_page_error()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/"),
            Evaluate("document.title"),
            Evaluate("return 6 * 7"),
            Evaluate("({ a: [1, null, 'x'] })")));
        Assert.Equal("""{"type":"evaluate","ok":true,"value":"SessionGrid test page"}""", results[0]!.ToJsonString());
        Assert.Equal(42, results[1]!["value"]!.GetValue<int>());
        Assert.Equal("""{"a":[1,null,"x"]}""", results[2]!["value"]!.ToJsonString());

        await ProblemAsync(session, Single(Evaluate("throw new Error('boom from the page')")), (HttpStatusCode)422, "boom from the page");
        await ProblemAsync(session, Single(Evaluate("new Promise(() => {})", 300)), HttpStatusCode.RequestTimeout, "timed out");
    }

    [Fact]
    public async Task Screenshots_of_the_viewport_the_full_page_and_an_element()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "screenshot" },
            new JsonObject { ["type"] = "screenshot", ["fullPage"] = true },
            new JsonObject { ["type"] = "screenshot", ["selector"] = "#hover-target" }));
        Assert.Equal((1280, 800), PngSize(results[0]!["screenshot"]!));
        var (fullWidth, fullHeight) = PngSize(results[1]!["screenshot"]!);
        Assert.Equal(1280, fullWidth);
        Assert.True(fullHeight > 3000, $"full page height {fullHeight}");
        Assert.Equal(200, PngSize(results[2]!["screenshot"]!).Width);

        var final = await _client.TaskAsync(session, new JsonObject { ["screenshot"] = new JsonObject { ["selector"] = "#counter" } });
        Assert.Equal(HttpStatusCode.Created, final.Status);
        Assert.True(PngSize(final.Json["screenshot"]!).Height < 100);

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "screenshot", ["selector"] = "#absent", ["timeoutMs"] = 300 }), HttpStatusCode.NotFound, "#absent");
        var finalMissing = await _client.TaskAsync(session, new JsonObject { ["screenshot"] = new JsonObject { ["selector"] = "#absent", ["timeoutMs"] = 300 } });
        Assert.Equal(HttpStatusCode.NotFound, finalMissing.Status);
        Assert.Equal("screenshot", finalMissing.Json["step"]!.GetValue<string>());
    }

    [Fact]
    public async Task UploadFile_sends_the_uploaded_bytes_to_the_page_and_an_unknown_file_is_400_before_anything_runs()
    {
        var session = await _client.OpenAsync();
        var bytes = Encoding.UTF8.GetBytes("name,qty\nwidget,3\n" + new string('x', 5000));
        var name = $"report-{Guid.NewGuid():N}.csv";
        var upload = await _client.UploadAsync(session, name, bytes);
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        Assert.Equal(name, upload.Json["files"]![0]!["filename"]!.GetValue<string>());
        Assert.Equal(bytes.Length, upload.Json["files"]![0]!["size"]!.GetValue<int>());

        var results = await OkAsync(session, Task(pages.Url("/upload"),
            new JsonObject { ["type"] = "uploadFile", ["selector"] = "#file", ["filename"] = name },
            new JsonObject { ["type"] = "click", ["selector"] = "#send" },
            new JsonObject { ["type"] = "wait", ["selector"] = "#received" },
            Evaluate("document.getElementById('received').textContent")));
        Assert.Equal(name, results[0]!["filename"]!.GetValue<string>());
        Assert.Equal($"{name}:{bytes.Length}", results[3]!["value"]!.GetValue<string>());
        Assert.Equal(bytes, pages.Uploads[name]);

        var unknown = await ProblemAsync(session, Task(pages.Url("/second"),
            new JsonObject { ["type"] = "uploadFile", ["selector"] = "#file", ["filename"] = "never-uploaded.txt" }), HttpStatusCode.BadRequest, "never-uploaded.txt");
        Assert.Equal(0, unknown["actionIndex"]!.GetValue<int>());
        // Refused before anything ran: the task's navigation did not happen.
        Assert.Equal(pages.Url("/upload"), (await _client.GetAsync(session)).Json["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Select_by_label_or_value_and_fail_on_a_missing_option_or_a_non_select()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "select", ["selector"] = "#color", ["text"] = "Green" },
            Evaluate("document.getElementById('color').value"),
            new JsonObject { ["type"] = "select", ["selector"] = "#color", ["text"] = "b" }));
        Assert.Equal("""["g"]""", results[0]!["selected"]!.ToJsonString());
        Assert.Equal("g", results[1]!["value"]!.GetValue<string>());
        Assert.Equal("""["b"]""", results[2]!["selected"]!.ToJsonString());

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "select", ["selector"] = "#color", ["text"] = "Purple" }), HttpStatusCode.NotFound, "Purple");
        await ProblemAsync(session, Single(new JsonObject { ["type"] = "select", ["selector"] = "#name", ["text"] = "Red" }), (HttpStatusCode)422, "not a <select>");
    }

    [Fact]
    public async Task Hover_moves_the_mouse_over_an_element()
    {
        var session = await _client.OpenAsync();
        var results = await OkAsync(session, Task(pages.Url("/widgets"),
            new JsonObject { ["type"] = "hover", ["selector"] = "#hover-target" },
            Evaluate("document.getElementById('hover-target').textContent")));
        Assert.Equal("hovered", results[1]!["value"]!.GetValue<string>());

        await ProblemAsync(session, Single(new JsonObject { ["type"] = "hover", ["selector"] = "#gone", ["timeoutMs"] = 300 }), HttpStatusCode.NotFound, "#gone");
    }

    [Fact]
    public async Task Pdf_as_a_task_output_and_from_the_pdf_endpoint()
    {
        var session = await _client.OpenAsync();
        var task = await _client.TaskAsync(session, new JsonObject
        {
            ["url"] = pages.Url("/widgets"),
            ["pdf"] = new JsonObject
            {
                ["format"] = "A4", ["landscape"] = true, ["printBackground"] = true, ["scale"] = 0.8,
                ["margin"] = new JsonObject { ["top"] = "1cm", ["bottom"] = 20 },
            },
        });
        Assert.Equal(HttpStatusCode.Created, task.Status);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(Convert.FromBase64String(task.Json["pdf"]!.GetValue<string>())[..4]));
        Assert.False(task.Json.AsObject().ContainsKey("screenshot"));
        Assert.False(task.Json.AsObject().ContainsKey("content"));

        var direct = await _client.PdfAsync(session);
        Assert.Equal(HttpStatusCode.OK, direct.Status);
        Assert.Equal("application/pdf", direct.ContentType);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(direct.Bytes[..4]));

        var bad = await _client.PdfAsync(session, """{"format": "A9"}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("A9", bad.Detail);
        var badScale = await _client.TaskAsync(session, """{"pdf": {"scale": 3}}""");
        Assert.Equal(HttpStatusCode.BadRequest, badScale.Status);
        Assert.Contains("scale", badScale.Detail);
    }

    [Fact]
    public async Task Content_returns_the_final_html_and_url()
    {
        var session = await _client.OpenAsync();
        var task = await _client.TaskAsync(session, new JsonObject
        {
            ["url"] = pages.Url("/widgets"),
            ["actions"] = Actions(Evaluate("document.getElementById('notes').textContent = 'typed note'")),
            ["content"] = true,
        });
        Assert.Equal(HttpStatusCode.Created, task.Status);
        Assert.Equal(pages.Url("/widgets"), task.Json["content"]!["url"]!.GetValue<string>());
        Assert.Contains("<textarea id=\"notes\">typed note</textarea>", task.Json["content"]!["html"]!.GetValue<string>());
    }

    private static JsonObject Evaluate(string script, int? timeoutMs = null) =>
        new() { ["type"] = "evaluate", ["script"] = script, ["timeoutMs"] = timeoutMs };

    private static JsonArray Actions(params JsonObject[] actions) => new([.. actions]);

    private static JsonObject Single(JsonObject action) => new() { ["actions"] = Actions(action) };

    private static JsonObject Task(string? url, params JsonObject[] actions) => new() { ["url"] = url, ["actions"] = Actions(actions) };

    private async Task<JsonArray> OkAsync(string session, JsonObject body)
    {
        var response = await _client.TaskAsync(session, body);
        Assert.True(response.Status == HttpStatusCode.Created, $"{response.Status}: {response.Body?.ToJsonString()}");
        return response.Json["actionResults"]!.AsArray();
    }

    private async Task<JsonNode> ValueAsync(string session, string script) => (await OkAsync(session, Single(Evaluate(script))))[0]!["value"]!;

    private async Task<JsonNode> ProblemAsync(string session, JsonObject body, HttpStatusCode status, string detailPart)
    {
        var response = await _client.TaskAsync(session, body);
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body?.ToJsonString()}");
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal((int)status, response.Json["status"]!.GetValue<int>());
        Assert.Contains(detailPart, response.Detail);
        return response.Json;
    }

    private static (int Width, int Height) PngSize(JsonNode base64)
    {
        var png = Convert.FromBase64String(base64.GetValue<string>());
        Assert.Equal("PNG", Encoding.ASCII.GetString(png, 1, 3));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
