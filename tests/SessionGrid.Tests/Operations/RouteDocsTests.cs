using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.OpenApi;
using SessionGrid.Tests.Infrastructure;

namespace SessionGrid.Tests.Operations;

/// <summary>
/// Every route of the three dialects and the admin API that the real host maps carries its doc, attached where the
/// route is mapped: the doc of that very route (a renamed route cannot keep a doc that names the old one), a summary,
/// its dialect's tag, a success response and its error responses; and every doc is attached to exactly one route.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class RouteDocsTests(SharedHost shared)
{
    [Fact]
    public void Every_dialect_and_admin_route_carries_its_own_doc()
    {
        var routes = MappedApiRoutes();
        Assert.True(routes.Count >= 28, $"only {routes.Count} routes under /api/v1");
        var problems = new List<string>();
        foreach (var (route, endpoint) in routes)
        {
            if (endpoint.Metadata.GetMetadata<RouteDoc>() is not { } doc)
            {
                problems.Add($"{route} has no doc: map it with .WithDoc(…)");
                continue;
            }

            if (doc.Route != route)
            {
                problems.Add($"{route} carries the doc of {doc.Route}");
            }

            if (string.IsNullOrWhiteSpace(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary))
            {
                problems.Add($"{route} has no summary");
            }

            if (endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags is not [var tag] || tag != doc.Dialect.Tag)
            {
                problems.Add($"{route} is not tagged {doc.Dialect.Tag}");
            }

            var statuses = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToList();
            if (!statuses.Any(s => s is >= 200 and < 300))
            {
                problems.Add($"{route} documents no success response");
            }

            if (!statuses.Contains(StatusCodes.Status401Unauthorized) || !statuses.Any(s => s is >= 400 and not 401))
            {
                problems.Add($"{route} documents no error responses (401 and the route's own)");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_doc_is_attached_to_one_mapped_route()
    {
        var attached = MappedApiRoutes().Select(r => r.Endpoint.Metadata.GetMetadata<RouteDoc>()).OfType<RouteDoc>().ToList();
        foreach (var doc in ApiDocs.Dialects.SelectMany(d => d.Routes))
        {
            Assert.True(attached.Count(a => a.Route == doc) == 1, $"the doc of {doc} is attached to {attached.Count(a => a.Route == doc)} routes");
        }
    }

    /// <summary>Every route the host maps under /api/v1, as <c>METHOD /pattern</c>, with its endpoint.</summary>
    private List<(string Route, Endpoint Endpoint)> MappedApiRoutes() =>
        [.. shared.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/')))
            .Where(e => e.Pattern.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any method)"])
                .Select(method => ($"{method} {e.Pattern}", (Endpoint)e.Endpoint)))];
}
