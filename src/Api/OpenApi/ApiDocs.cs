using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace SessionGrid.Api.OpenApi;

/// <summary>The route docs of the three dialects and the admin API, applied to the endpoints mapped in a group.</summary>
public static class ApiDocs
{
    public static readonly IReadOnlyList<DialectDocs> Dialects = [TaskApiDocs.Create(), BrowserSessionApiDocs.Create(), BrowsingApiDocs.Create(), AdminApiDocs.Create()];

    /// <summary>
    /// Describes every endpoint mapped in <paramref name="group"/> that a dialect's docs name: a convention that runs
    /// last, once each endpoint knows its whole route pattern and its method.
    /// </summary>
    public static RouteGroupBuilder WithApiDocs(this RouteGroupBuilder group)
    {
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } raw }
                && endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { HttpMethods: [var method] })
            {
                var pattern = "/" + raw.TrimStart('/');
                _ = Dialects.Any(dialect => dialect.TryApply(method, pattern, endpoint));
            }
        });
        return group;
    }
}
