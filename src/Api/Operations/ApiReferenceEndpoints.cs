using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SessionGrid.Api.OpenApi;

namespace SessionGrid.Api.Operations;

/// <summary>
/// The API reference: the OpenAPI document of the three dialects at <c>/openapi/v1.json</c>, and an interactive page
/// at <c>/docs</c> (Swagger UI, whose assets are served from this process: it needs no internet). Neither needs a key.
/// </summary>
public static class ApiReferenceEndpoints
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string DocsPath = "/docs";

    public static IServiceCollection AddApiReference(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(json => ActionSchemaTypes.AddTo(json.SerializerOptions)).AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer<DocumentDescription>();
            options.AddDocumentTransformer<SecuritySchemes>();
            options.AddOperationTransformer<RequestDocs>();
            options.CreateSchemaReferenceId = SchemaNames.Of;
        });

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = DocsPath.TrimStart('/');
            options.DocumentTitle = "SessionGrid API reference";
            options.SwaggerEndpoint(DocumentPath, "SessionGrid v1");
        });
        return app;
    }
}
