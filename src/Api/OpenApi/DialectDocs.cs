using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// One dialect's routes as the OpenAPI document describes them (tag, summary, request body, responses, query
/// parameters), keyed by method and route pattern. <see cref="ApiDocs.WithApiDocs"/> applies them to the mapped
/// endpoints as metadata, so the dialects' handlers carry none of it.
/// </summary>
/// <param name="tag">The dialect's tag, which groups its operations on the reference page.</param>
/// <param name="errorSchema">The schema of the dialect's error body.</param>
/// <param name="errorContentType">The content type of the dialect's errors.</param>
/// <param name="rateLimited">Whether every route can answer 429 (a key past its request rate) without listing it.</param>
public sealed class DialectDocs(string tag, Type errorSchema, string errorContentType = "application/json", bool rateLimited = true)
{
    private readonly Dictionary<string, RouteDoc> _routes = new(StringComparer.Ordinal);

    public string Tag { get; } = tag;

    /// <summary>The routes described, as <c>METHOD /pattern</c>.</summary>
    public IEnumerable<string> Routes => _routes.Keys;

    public RouteDoc Route(string method, string pattern, string summary)
    {
        var doc = new RouteDoc(this, summary);
        _routes.Add(Key(method, pattern), doc);
        return doc;
    }

    /// <summary>Adds the route's metadata to <paramref name="endpoint"/> when this dialect describes it.</summary>
    public bool TryApply(string method, string pattern, EndpointBuilder endpoint)
    {
        if (!_routes.TryGetValue(Key(method, pattern), out var doc))
        {
            return false;
        }

        endpoint.Metadata.Add(new TagsAttribute(Tag));
        foreach (var item in doc.Metadata)
        {
            endpoint.Metadata.Add(item);
        }

        if (rateLimited && !doc.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == StatusCodes.Status429TooManyRequests))
        {
            endpoint.Metadata.Add(Error(StatusCodes.Status429TooManyRequests));
        }

        return true;
    }

    internal object Error(int status) => new ProducesResponseTypeMetadata(status, errorSchema, [errorContentType]);

    private static string Key(string method, string pattern) => $"{method} {pattern}";
}
