using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace SessionGrid.Api.Http;

/// <summary>Boolean flags and integers in a query string, as every dialect reads them.</summary>
public static class QueryFlags
{
    /// <summary>Reads a boolean query parameter: <c>true</c>/<c>1</c> or <c>false</c>/<c>0</c> (any case); absent or empty is false. False when the value is neither.</summary>
    public static bool TryBool(StringValues values, out bool value)
    {
        value = false;
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return true;
        }

        switch (values[0]!.ToLowerInvariant())
        {
            case "true" or "1":
                value = true;
                return true;
            case "false" or "0":
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads an integer query parameter; absent or empty is null. False when the value is no integer.</summary>
    public static bool TryLong(StringValues values, out long? value)
    {
        value = null;
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return true;
        }

        if (long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
