using System.Text.Json;
using System.Text.RegularExpressions;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Agent;

namespace SessionGrid.Api.Agent;

/// <summary>
/// Reads a Task API request's <c>secrets</c> (on <c>run_task</c> and <c>POST /task</c>, Smooth's
/// <c>{NAME: {"value": "…", "allowed_urls": ["https://**.example.com/**"]}}</c>) into the agent's secrets, within the
/// limits below. A refusal names the secret and the field, never the value.
/// </summary>
public static partial class SecretsParser
{
    public const int MaxSecrets = 16;
    public const int MaxNameLength = 64;
    public const int MaxValueLength = 4096;
    public const int MaxAllowedUrls = 16;
    public const int MaxPatternLength = 2048;

    /// <summary>The secrets, in the request's order; empty when the field is absent or null.</summary>
    public static IReadOnlyList<AgentSecret> Parse(JsonElement? secrets)
    {
        if (secrets is null or { ValueKind: JsonValueKind.Null })
        {
            return [];
        }

        if (secrets.Value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("secrets must be an object: {NAME: {\"value\": \"…\", \"allowed_urls\": [\"https://**.example.com/**\"]}}");
        }

        var parsed = new List<AgentSecret>();
        foreach (var secret in secrets.Value.EnumerateObject())
        {
            if (parsed.Count == MaxSecrets)
            {
                throw Invalid($"secrets may hold at most {MaxSecrets} secrets");
            }

            if (!Name().IsMatch(secret.Name))
            {
                throw Invalid($"secrets: the name '{Text.Shorten(secret.Name, MaxNameLength)}' must be 1 to {MaxNameLength} letters, digits, '_', '-' or '.'");
            }

            if (parsed.Any(s => s.Name == secret.Name))
            {
                throw Invalid($"secrets.{secret.Name} is given twice");
            }

            parsed.Add(Secret(secret.Name, secret.Value));
        }

        return parsed;
    }

    private static AgentSecret Secret(string name, JsonElement secret)
    {
        var at = "secrets." + name;
        if (secret.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{at} must be an object with value and allowed_urls");
        }

        var value = secret.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : null;
        if (value is null or "" || value.Length > MaxValueLength)
        {
            throw Invalid($"{at}.value must be a string of 1 to {MaxValueLength} characters");
        }

        if (!secret.TryGetProperty("allowed_urls", out var urls) || urls.ValueKind != JsonValueKind.Array
            || urls.GetArrayLength() is 0 or > MaxAllowedUrls
            || urls.EnumerateArray().Any(u => u.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(u.GetString()) || u.GetString()!.Length > MaxPatternLength))
        {
            throw Invalid($"{at}.allowed_urls must list 1 to {MaxAllowedUrls} URL patterns such as https://**.example.com/** (the pages the secret may be typed into)");
        }

        return new AgentSecret(name, value, [.. urls.EnumerateArray().Select(u => u.GetString()!)]);
    }

    private static AgentRequestParser.InvalidAgentRequest Invalid(string message) => new(message);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex Name();
}
