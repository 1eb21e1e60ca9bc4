using Microsoft.AspNetCore.OpenApi;
using System.Text.Json.Serialization.Metadata;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// Component names in the document: the schema-only types' names without their <c>Schema</c> suffix
/// (<c>ClickSchema</c> is <c>ClickAction</c>), every other type as the framework names it.
/// </summary>
public static class SchemaNames
{
    private const string Suffix = "Schema";

    public static string? Of(JsonTypeInfo type)
    {
        var name = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        return type.Type.Namespace == typeof(SchemaNames).Namespace && name is { Length: > 0 } && name.EndsWith(Suffix, StringComparison.Ordinal)
            ? name[..^Suffix.Length]
            : name;
    }
}
