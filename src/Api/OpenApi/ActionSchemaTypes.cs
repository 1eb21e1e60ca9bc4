using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SessionGrid.Contracts.Actions;

namespace SessionGrid.Api.OpenApi;

/// <summary>
/// The <c>type</c> values of the action schemas, from the action registry: the document's JSON contract lists every
/// <see cref="ActionSchema{TAction}"/> as a variant of <see cref="ActionSchema"/>, named by its record's entry, in
/// the registry's order.
/// </summary>
public static class ActionSchemaTypes
{
    /// <summary>The schema of each action record, by record type: every <see cref="ActionSchema{TAction}"/> of this assembly.</summary>
    internal static readonly IReadOnlyDictionary<Type, Type> ByRecord = typeof(ActionSchema).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && type.BaseType is { IsGenericType: true } parent && parent.GetGenericTypeDefinition() == typeof(ActionSchema<>))
        .ToDictionary(type => type.BaseType!.GetGenericArguments()[0]);

    /// <summary>Adds the variants to the JSON options the OpenAPI document is generated with.</summary>
    public static void AddTo(JsonSerializerOptions options) =>
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(AddVariants);

    private static void AddVariants(JsonTypeInfo type)
    {
        if (type.Type != typeof(ActionSchema) || type.PolymorphismOptions is not { } polymorphism)
        {
            return;
        }

        foreach (var entry in ActionRegistry.All)
        {
            if (ByRecord.TryGetValue(entry.Record, out var schema))
            {
                polymorphism.DerivedTypes.Add(new JsonDerivedType(schema, entry.Name));
            }
        }
    }
}
