namespace SessionGrid.Api.Http;

/// <summary>The start URL of a session, as every front end that opens one takes it.</summary>
public static class WebUrl
{
    public const string Invalid = "url must be an absolute http or https URL";

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsValid(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
