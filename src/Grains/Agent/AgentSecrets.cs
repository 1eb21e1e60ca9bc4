using System.Net;
using System.Text.RegularExpressions;
using SessionGrid.Contracts.Agent;
using SessionGrid.Grains.Actions;

namespace SessionGrid.Grains.Agent;

/// <summary>
/// An agent run's secrets as the agent uses them: the model writes <c>{{secret:NAME}}</c> in the text it types and
/// the placeholder becomes the value only on a page whose URL matches that secret's <c>allowed_urls</c>. Everything
/// the run sends on (observations and tool results to the model, step events, errors) is scrubbed: each value (as
/// typed, URL-encoded or form-encoded, in any case) becomes its placeholder again.
/// </summary>
public sealed partial class AgentSecrets
{
    public static readonly AgentSecrets None = new([]);

    private readonly IReadOnlyList<(AgentSecret Secret, UrlGlob Pages)> _secrets;
    private readonly (string Value, string Placeholder)[] _scrubs;

    public AgentSecrets(IReadOnlyList<AgentSecret> secrets)
    {
        _secrets = [.. secrets.Select(s => (s, new UrlGlob(s.AllowedUrls)))];
        _scrubs = [.. secrets
            .SelectMany(s => new[] { s.Value, Uri.EscapeDataString(s.Value), WebUtility.UrlEncode(s.Value) }.Select(form => (form, s.Placeholder)))
            .Where(scrub => scrub.form.Length > 0)
            .DistinctBy(scrub => scrub.form, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(scrub => scrub.form.Length)];
    }

    public bool Any => _secrets.Count > 0;

    /// <summary>What the model is told of the secrets: each placeholder and the pages it may be typed on, never a value.</summary>
    public string Describe() =>
        "Secrets you can type without seeing them (write the placeholder in type's text): "
        + string.Join("; ", _secrets.Select(s => $"{s.Secret.Placeholder} on {string.Join(" or ", s.Secret.AllowedUrls)}"));

    /// <summary>
    /// The text to type on the page at <paramref name="pageUrl"/>: each placeholder replaced by its value, or the
    /// error (naming the secret) when a placeholder names no secret or a secret the page may not receive.
    /// </summary>
    public (string? Text, string? Error) Resolve(string text, string pageUrl)
    {
        string? error = null;
        var resolved = Placeholder().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var secret = _secrets.FirstOrDefault(s => s.Secret.Name == name);
            if (secret.Secret is null)
            {
                error ??= $"secret_unknown: there is no secret named '{name}' (this task's secrets: {string.Join(", ", _secrets.Select(s => s.Secret.Name))})";
                return match.Value;
            }

            if (!secret.Pages.Matches(pageUrl))
            {
                error ??= $"secret_not_allowed: the secret '{name}' may only be typed on pages matching its allowed_urls ({string.Join(", ", secret.Secret.AllowedUrls)}), not on {pageUrl}";
                return match.Value;
            }

            return secret.Secret.Value;
        });
        return error is null ? (resolved, null) : (null, Scrub(error));
    }

    /// <summary>Whether the text names a secret.</summary>
    public bool Uses(string text) => Any && Placeholder().IsMatch(text);

    /// <summary>The text with every secret's value replaced by its placeholder.</summary>
    public string? Scrub(string? text)
    {
        if (text is null || _scrubs.Length == 0)
        {
            return text;
        }

        foreach (var (value, placeholder) in _scrubs)
        {
            // Any case: percent-encodings differ in the case of their hex digits.
            text = text.Replace(value, placeholder, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    [GeneratedRegex(@"\{\{secret:([A-Za-z0-9_.-]{1,64})\}\}")]
    private static partial Regex Placeholder();
}
