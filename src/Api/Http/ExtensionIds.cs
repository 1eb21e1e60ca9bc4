using System.Text.RegularExpressions;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Http;

/// <summary>
/// The extensions a session asks for (<c>extensions</c> in the Task API and the Browser Session API): ids of the
/// tenant's uploaded extensions (<c>ext_</c> and 24 hex digits), at most <see cref="ExtensionOptions.MaxPerSession"/>,
/// each once. Checked before anything is created; the message is for the dialect to render in its own error shape.
/// </summary>
public static partial class ExtensionIds
{
    /// <summary>Whether <paramref name="id"/> has the shape of an extension id.</summary>
    public static bool IsWellFormed(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>Null when <paramref name="ids"/> all name the tenant's extensions, else why not.</summary>
    public static async Task<string?> ProblemAsync(string[]? ids, string tenant, IGrainFactory grains, ExtensionOptions limits)
    {
        if (ids is null || ids.Length == 0)
        {
            return null;
        }

        if (ids.Length > limits.MaxPerSession || ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
        {
            return $"extensions must list at most {limits.MaxPerSession} different extension ids";
        }

        var malformed = ids.FirstOrDefault(id => !IsWellFormed(id));
        var missing = malformed is null ? await grains.GetGrain<ITenantExtensionsGrain>(tenant).MissingAsync(ids) : [malformed];
        return missing.Count == 0
            ? null
            : $"extensions: '{Text.Shorten(missing[0] ?? "null")}' is not an extension of this API key (upload one with POST /api/v1/extension)";
    }

    [GeneratedRegex("^ext_[0-9a-f]{24}$")]
    private static partial Regex Shape();
}
