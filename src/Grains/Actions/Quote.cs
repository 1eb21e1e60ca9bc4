namespace SessionGrid.Grains.Actions;

/// <summary>Client-supplied text (a selector, a URL) quoted back in an error message, cut to a readable length.</summary>
internal static class Quote
{
    public static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
