using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// Adds what a route's docs say about its request to its operation and the framework cannot infer: the query
/// parameters its handler reads itself, and its body's content type when that is not JSON.
/// </summary>
public sealed class RequestDocs : IOpenApiOperationTransformer
{
    /// <summary>The content type the framework documents a body under when its accepts metadata names none.</summary>
    public const string Json = "application/json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        foreach (var query in metadata.OfType<QueryParameterDoc>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = query.Required,
                Description = query.Description,
                Schema = await context.GetOrCreateSchemaAsync(query.Type, null, cancellationToken),
            });
        }

        if (metadata.OfType<RequestBodyDoc>().LastOrDefault() is { } body && operation.RequestBody?.Content is { } content
            && content.Remove(Json, out var media))
        {
            content[body.ContentType] = media;
        }
    }
}
