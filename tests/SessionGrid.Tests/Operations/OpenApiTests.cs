using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using SessionGrid.Api.OpenApi;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// The OpenAPI document at /openapi/v1.json against the routes the host really maps: it parses and validates, every
/// /api/v1 route appears with its method, a summary, its dialect's tag, a success schema, its dialect's error shape
/// and both auth schemes; and the /docs page loads every asset from the host itself.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed partial class OpenApiTests(SharedHost shared)
{
    private static readonly Dictionary<string, string> ErrorSchemas = new()
    {
        [TaskApiDocs.Tag] = "TaskApiError",
        [BrowserSessionApiDocs.Tag] = "Problem",
        [BrowsingApiDocs.Tag] = "BrowsingError",
        [AdminApiDocs.Tag] = "ProblemDetails",
        [ConsoleApiDocs.Tag] = "TaskApiError",
    };

    [Fact]
    public async Task The_document_validates_and_names_every_route_of_the_three_dialects()
    {
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };
        using var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();

        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        var problems = (read.Diagnostic?.Errors ?? []).Concat(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(p => $"{p.Pointer}: {p.Message}")));
        var document = read.Document!;
        Assert.Equal(["apikey", "bearer"], document.Components!.SecuritySchemes!.Keys.Order());
        Assert.Equal("apikey", document.Components.SecuritySchemes["apikey"].Name);
        Assert.Equal(ParameterLocation.Header, document.Components.SecuritySchemes["apikey"].In);
        Assert.Equal("bearer", document.Components.SecuritySchemes["bearer"].Scheme);

        var routes = MappedApiRoutes();
        Assert.True(routes.Count >= 22, $"only {routes.Count} routes under /api/v1");
        foreach (var (method, pattern) in routes)
        {
            var where = $"{method} {pattern}";
            Assert.True(document.Paths.TryGetValue(pattern, out var path), $"{where} is not in the document");
            Assert.True(path!.Operations!.TryGetValue(new HttpMethod(method), out var operation), $"{where} is not in the document");
            Assert.False(string.IsNullOrWhiteSpace(operation!.Summary), $"{where} has no summary");
            var tag = Assert.Single(operation.Tags!).Name!;
            Assert.Contains(tag, ErrorSchemas.Keys);

            // Every success answer has a body, but a 204, which has none (the SDK's telemetry).
            var success = operation.Responses!.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count > 0 && success.All(r => r.Key == "204" ? r.Value.Content is null or { Count: 0 } : r.Value.Content?.Count > 0), $"{where} has no success body");
            var unauthorized = operation.Responses!["401"].Content!.Values.Single().Schema;
            Assert.Equal(ErrorSchemas[tag], Assert.IsType<OpenApiSchemaReference>(unauthorized).Reference.Id);
            if (tag != AdminApiDocs.Tag)
            {
                // Every dialect route can answer the per-key rate limit's 429, in the dialect's error shape.
                Assert.True(operation.Responses.TryGetValue("429", out var tooMany), $"{where} does not document 429");
                Assert.Equal(ErrorSchemas[tag], Assert.IsType<OpenApiSchemaReference>(tooMany!.Content!.Values.Single().Schema).Reference.Id);
            }

            var schemes = operation.Security!.SelectMany(requirement => requirement.Keys).Select(s => s.Reference.Id).Order();
            Assert.Equal(["apikey", "bearer"], schemes);
            // A POST sends a body, but the actions on a resource that take none: a session's PDF, a node's drain.
            if (method is "POST" && !pattern.EndsWith("/pdf", StringComparison.Ordinal) && !pattern.EndsWith("/drain", StringComparison.Ordinal))
            {
                Assert.True(operation.RequestBody?.Content?.Count > 0, $"{where} has no request body");
            }
        }

        // And the other way round: no documented route is missing from the host.
        var documented = ApiDocs.Dialects.SelectMany(d => d.Routes).Order();
        Assert.Equal(routes.Select(r => $"{r.Method} {r.Pattern}").Order(), documented);
    }

    [Fact]
    public async Task The_schemas_show_the_dialects_wire_shapes()
    {
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };
        var document = OpenApiDocument.Parse(await http.GetStringAsync("/openapi/v1.json"), OpenApiConstants.Json, new OpenApiReaderSettings()).Document!;
        var schemas = document.Components!.Schemas!;

        Assert.Contains("credits_used", schemas["TaskResponse"].Properties!.Keys);
        Assert.Contains("cdp_url", schemas["TaskResponse"].Properties!.Keys);
        Assert.Contains("isolation", schemas["TaskRequest"].Properties!.Keys);
        Assert.Contains("cdpUrl", schemas["Session"].Properties!.Keys);
        Assert.Contains("isolation", schemas["CreateSessionRequest"].Properties!.Keys);
        Assert.Contains("detail", schemas["TaskApiError"].Properties!.Keys);
        Assert.Contains("execution_time_ms", schemas["BrowsingStatus"].Properties!.Keys);
        Assert.Contains("actionIndex", schemas["Problem"].Properties!.Keys);
        var actions = schemas["BrowserTaskBody"].Properties!["actions"].Items!.AnyOf!
            .ToDictionary(a => a.Properties!["type"].Enum!.Single()!.GetValue<string>());
        Assert.Equal(Api.Actions.ActionJson.Types.Order(), actions.Keys.Order());
        Assert.Equal(["selector", "text"], actions["type"].Required!.Order());
        Assert.Contains("credentialId", actions["authenticate"].Properties!.Keys);
        var upload = document.Paths["/api/v1/file"].Operations![HttpMethod.Post].RequestBody!.Content!;
        Assert.Equal(["multipart/form-data"], upload.Keys);
        var pdf = document.Paths["/api/v1/browser/sessions/{sessionId}/pdf"].Operations![HttpMethod.Post].Responses!["200"].Content!;
        Assert.Equal(["application/pdf"], pdf.Keys);
        var status = document.Paths["/api/v1/browsing/status"].Operations![HttpMethod.Get].Parameters!.Single(p => p.Name == "task_id");
        Assert.True(status.Required);
        Assert.Equal(ParameterLocation.Query, status.In);
    }

    [Fact]
    public async Task A_documented_body_does_not_make_routing_refuse_other_content_types()
    {
        // curl -d sends application/x-www-form-urlencoded: the handler reads the JSON all the same, as before.
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/task")
        {
            Content = new StringContent("""{"task": null}""", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("apikey", TestKeys.A);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["r"]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await shared.Host.Client().CancelAsync(id)).Status);
    }

    [Fact]
    public async Task The_docs_page_loads_every_asset_from_the_host_itself()
    {
        using var http = new HttpClient { BaseAddress = new Uri(shared.Host.BaseUrl) };
        using var page = await http.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var pageUrl = page.RequestMessage!.RequestUri!;
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("swagger-ui", html);

        var assets = Asset().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith("swagger-ui-bundle.js", StringComparison.Ordinal));
        Assert.DoesNotContain(html, "//cdn", StringComparison.OrdinalIgnoreCase);
        foreach (var asset in assets)
        {
            var url = new Uri(pageUrl, asset);
            Assert.Equal(pageUrl.Authority, url.Authority);
            using var loaded = await http.GetAsync(url);
            Assert.True(loaded.StatusCode == HttpStatusCode.OK, $"{asset}: {loaded.StatusCode}");
            var body = await loaded.Content.ReadAsStringAsync();
            Assert.NotEmpty(body);
            if (asset.EndsWith("index.js", StringComparison.Ordinal))
            {
                // The page's own script: it reads the document from this host, and no validator or other site.
                Assert.Contains("\"url\":\"/openapi/v1.json\"", body);
                Assert.DoesNotMatch("""["']https?://""", body);
            }
        }
    }

    /// <summary>Every (method, pattern) the host maps under /api/v1, from its endpoint data source.</summary>
    private List<(string Method, string Pattern)> MappedApiRoutes() =>
        [.. shared.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [], Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/')))
            .Where(e => e.Pattern.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => (m, e.Pattern)))
            .Distinct()];

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Asset();
}
