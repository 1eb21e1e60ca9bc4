using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// One dialect's route docs (tag, error shape, whether every route can answer the per-key rate limit's 429) and the
/// routes it documents. Each <see cref="RouteDoc"/> is attached where its route is mapped (<see cref="RouteDocs.WithDoc"/>).
/// </summary>
/// <param name="tag">The dialect's tag, which groups its operations on the reference page.</param>
/// <param name="errorSchema">The schema of the dialect's error body.</param>
/// <param name="errorContentType">The content type of the dialect's errors.</param>
/// <param name="rateLimited">Whether every route can answer 429 (a key past its request rate) without listing it.</param>
public sealed class DialectDocs(string tag, Type errorSchema, string errorContentType = "application/json", bool rateLimited = true)
{
    private readonly List<RouteDoc> _routes = [];

    public string Tag { get; } = tag;

    /// <summary>The routes described, as <c>METHOD /pattern</c>.</summary>
    public IEnumerable<string> Routes => _routes.Select(r => r.Route);

    /// <summary>The doc of the route <paramref name="method"/> <paramref name="pattern"/> (its whole pattern, as the host maps it).</summary>
    public RouteDoc Route(string method, string pattern, string summary)
    {
        var doc = new RouteDoc(this, $"{method} {pattern}", summary);
        _routes.Add(doc);
        return doc;
    }

    /// <summary>The metadata a route of this dialect carries: its tag, its doc's, and the rate limit's 429 unless the doc lists one.</summary>
    internal IEnumerable<object> Metadata(RouteDoc doc)
    {
        yield return new TagsAttribute(Tag);
        foreach (var item in doc.Metadata)
        {
            yield return item;
        }

        if (rateLimited && !doc.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == StatusCodes.Status429TooManyRequests))
        {
            yield return Error(StatusCodes.Status429TooManyRequests);
        }
    }

    internal object Error(int status) => new ProducesResponseTypeMetadata(status, errorSchema, [errorContentType]);
}
