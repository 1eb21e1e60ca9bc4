using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// What the OpenAPI document says about one route: built fluently by a dialect's docs, attached where the route is
/// mapped (<see cref="RouteDocs.WithDoc"/>), and carried by the endpoint as metadata, this doc included.
/// </summary>
public sealed class RouteDoc
{
    private readonly DialectDocs _dialect;
    private readonly List<object> _metadata = [];

    internal RouteDoc(DialectDocs dialect, string route, string summary)
    {
        _dialect = dialect;
        Route = route;
        _metadata.Add(new EndpointSummaryAttribute(summary));
    }

    /// <summary>The route this doc describes, as <c>METHOD /pattern</c>; a test checks that it is the route it is attached to.</summary>
    public string Route { get; }

    /// <summary>The dialect the route belongs to.</summary>
    public DialectDocs Dialect => _dialect;

    internal IReadOnlyList<object> Metadata => _metadata;

    public RouteDoc Description(string description)
    {
        _metadata.Add(new EndpointDescriptionAttribute(description));
        return this;
    }

    /// <summary>
    /// A body of schema <typeparamref name="T"/> (optional when <paramref name="optional"/>). The accepts metadata
    /// names no content type, so routing does not answer a request of another type 415 before the handler can (each
    /// dialect answers in its own error shape); the document shows <paramref name="contentType"/>.
    /// </summary>
    public RouteDoc Accepts<T>(bool optional = false, string contentType = RequestDocs.Json)
    {
        _metadata.Add(new AcceptsMetadata([], typeof(T), optional));
        if (contentType != RequestDocs.Json)
        {
            _metadata.Add(new RequestBodyDoc(contentType));
        }

        return this;
    }

    /// <summary>A success answer with a body of schema <typeparamref name="T"/>.</summary>
    public RouteDoc Returns<T>(int status = StatusCodes.Status200OK, string contentType = "application/json")
    {
        _metadata.Add(new ProducesResponseTypeMetadata(status, typeof(T), [contentType]));
        return this;
    }

    /// <summary>A success answer without a body (204).</summary>
    public RouteDoc ReturnsNothing(int status = StatusCodes.Status204NoContent)
    {
        _metadata.Add(new ProducesResponseTypeMetadata(status, typeof(void), []));
        return this;
    }

    /// <summary>A success answer whose body is a file (a PDF, a PNG).</summary>
    public RouteDoc ReturnsFile(string contentType, int status = StatusCodes.Status200OK)
    {
        _metadata.Add(new ProducesResponseTypeMetadata(status, typeof(Stream), [contentType]));
        return this;
    }

    /// <summary>Error answers, in the dialect's error shape.</summary>
    public RouteDoc Errors(params int[] statuses)
    {
        _metadata.AddRange(statuses.Select(_dialect.Error));
        return this;
    }

    /// <summary>A query parameter the handler reads itself (so the framework cannot infer it).</summary>
    public RouteDoc Query(string name, Type type, string description, bool required = false)
    {
        _metadata.Add(new QueryParameterDoc(name, type, description, required));
        return this;
    }
}

/// <summary>A query parameter of a route, added to its operation by <see cref="RequestDocs"/>.</summary>
public sealed record QueryParameterDoc(string Name, Type Type, string Description, bool Required);

/// <summary>The content type of a route's request body when it is not JSON (an upload's multipart form).</summary>
public sealed record RequestBodyDoc(string ContentType);
