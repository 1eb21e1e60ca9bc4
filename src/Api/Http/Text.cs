namespace SessionGrid.Api.Http;

/// <summary>Client-supplied text quoted back in an error message, cut to a readable length.</summary>
public static class Text
{
    public static string Shorten(string value, int max = 100) => value.Length <= max ? value : value[..max] + "…";
}
