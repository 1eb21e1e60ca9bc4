using Microsoft.AspNetCore.Builder;

namespace SessionGrid.Api.OpenApi;

/// <summary>Attaches a route's doc where the route is mapped: <c>api.MapPost("/task", SubmitTask).WithDoc(TaskApiDocs.SubmitTask)</c>.</summary>
public static class RouteDocs
{
    /// <summary>Gives the endpoint <paramref name="doc"/>'s metadata (tag, summary, body, responses) and the doc itself.</summary>
    public static TBuilder WithDoc<TBuilder>(this TBuilder builder, RouteDoc doc)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var item in doc.Dialect.Metadata(doc))
            {
                endpoint.Metadata.Add(item);
            }

            endpoint.Metadata.Add(doc);
        });
        return builder;
    }
}
