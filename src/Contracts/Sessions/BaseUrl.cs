namespace SessionGrid.Contracts.Sessions;

/// <summary>A configured base URL that links are made from (a public or an internal one).</summary>
public static class BaseUrl
{
    /// <summary>Whether <paramref name="url"/> is unset or an absolute http(s) URL without query or fragment.</summary>
    public static bool IsValid(string? url) =>
        string.IsNullOrEmpty(url)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0 && uri.Fragment.Length == 0);
}
