using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The two ways to present an API key, which every dialect accepts: the <c>apikey</c> header (the Task API's) and
/// <c>Authorization: Bearer</c> (the other dialects'). Every operation requires one of them.
/// </summary>
public sealed class SecuritySchemes : IOpenApiDocumentTransformer
{
    public const string ApiKey = "apikey";
    public const string Bearer = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "apikey",
            Description = "The API key in the apikey header (as Smooth's SDKs send it).",
        };
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The API key as Authorization: Bearer <key>.",
        };

        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKey, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
            ];
        }

        return Task.CompletedTask;
    }
}
