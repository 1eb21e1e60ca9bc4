using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using SessionGrid.Api.Auth;

namespace SessionGrid.Silo.Hosting;

/// <summary>
/// <c>SessionGrid.Silo keys create [--name n] [--tenant t] | list | revoke &lt;id&gt;</c>: manages issued API keys
/// through a running host's admin API (keys live in grains, so only a running cluster can change them). It reaches
/// <c>--url</c> (or <c>SESSIONGRID_URL</c>; default <c>http://localhost:8080</c>) with <c>--admin-key</c> (or
/// <c>SESSIONGRID_ADMIN_KEY</c>, else the first of the configured <c>SessionGrid:AdminKeys</c>).
/// </summary>
public static class KeysCommand
{
    public const string Name = "keys";

    public const string Usage = "usage: SessionGrid.Silo keys create [--name <name>] [--tenant <tenant>] | list | revoke <key id>  [--url <http://host:port>] [--admin-key <key>]";

    private const string KeysPath = "api/v1/admin/keys";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        if (!TryParse(args, out var verb, out var argument, out var options, out var settings))
        {
            errors.WriteLine(Usage);
            return 2;
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settings)
            .Build();
        var url = options.GetValueOrDefault("url") ?? Environment.GetEnvironmentVariable("SESSIONGRID_URL") ?? HostSettings.DefaultUrls;
        var adminKey = options.GetValueOrDefault("admin-key") ?? Environment.GetEnvironmentVariable("SESSIONGRID_ADMIN_KEY")
            ?? ConfiguredKeys.Read(configuration, AdminKeyRegistry.Setting).FirstOrDefault();
        if (string.IsNullOrEmpty(adminKey))
        {
            errors.WriteLine($"keys needs an admin key: --admin-key, SESSIONGRID_ADMIN_KEY or {AdminKeyRegistry.Setting}");
            return 2;
        }

        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            errors.WriteLine($"--url must be an http or https URL (got '{url}')");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        try
        {
            return verb switch
            {
                "create" => await CreateAsync(http, options, output, errors),
                "list" => await ListAsync(http, output, errors),
                _ => await RevokeAsync(http, argument!, output, errors),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            errors.WriteLine($"keys {verb} failed: SessionGrid at {baseUrl} did not answer ({ex.Message})");
            return 1;
        }
    }

    private static async Task<int> CreateAsync(HttpClient http, Dictionary<string, string> options, TextWriter output, TextWriter errors)
    {
        var body = new JsonObject { ["name"] = options.GetValueOrDefault("name"), ["tenant"] = options.GetValueOrDefault("tenant") };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var (ok, answer) = await SendAsync(http, HttpMethod.Post, KeysPath, content, "create", errors);
        if (!ok)
        {
            return 1;
        }

        Describe(answer!, output);
        output.WriteLine($"key:       {answer!["key"]}");
        errors.WriteLine("The key is shown only this once: SessionGrid keeps only its hash.");
        return 0;
    }

    private static async Task<int> ListAsync(HttpClient http, TextWriter output, TextWriter errors)
    {
        var (ok, answer) = await SendAsync(http, HttpMethod.Get, KeysPath, null, "list", errors);
        if (!ok)
        {
            return 1;
        }

        var keys = answer!["keys"]!.AsArray();
        output.WriteLine($"{"ID",-28} {"TENANT",-26} {"NAME",-24} {"CREATED",-24} STATUS");
        foreach (var key in keys)
        {
            var status = key!["revoked"]!.GetValue<bool>() ? $"revoked {key["revokedAt"]}" : "active";
            output.WriteLine($"{key["id"],-28} {key["tenant"],-26} {key["name"] ?? "-",-24} {key["createdAt"],-24} {status}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(HttpClient http, string keyId, TextWriter output, TextWriter errors)
    {
        var (ok, answer) = await SendAsync(http, HttpMethod.Delete, $"{KeysPath}/{Uri.EscapeDataString(keyId)}", null, "revoke", errors);
        if (!ok)
        {
            return 1;
        }

        output.WriteLine($"Revoked {answer!["id"]} (tenant {answer["tenant"]}): it is refused from now on.");
        return 0;
    }

    private static async Task<(bool Ok, JsonNode? Answer)> SendAsync(HttpClient http, HttpMethod method, string path, HttpContent? content, string verb, TextWriter errors)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? answer = null;
        try
        {
            answer = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not SessionGrid answering: reported below by its status.
        }

        if (response.IsSuccessStatusCode && answer is not null)
        {
            return (true, answer);
        }

        var detail = answer?["detail"]?.ToString() ?? "no SessionGrid admin API answered at this URL";
        errors.WriteLine($"keys {verb} failed: {(int)response.StatusCode} {detail}");
        return (false, null);
    }

    private static void Describe(JsonNode key, TextWriter output)
    {
        output.WriteLine($"id:        {key["id"]}");
        output.WriteLine($"tenant:    {key["tenant"]}");
        output.WriteLine($"name:      {key["name"] ?? "-"}");
        output.WriteLine($"createdAt: {key["createdAt"]}");
    }

    /// <summary>
    /// The verb (<c>create</c>, <c>list</c>, <c>revoke</c>), revoke's key id, the command's own options
    /// (<c>--name</c>, <c>--tenant</c>, <c>--url</c>, <c>--admin-key</c>, as <c>--x v</c> or <c>--x=v</c>), and the
    /// rest as configuration switches.
    /// </summary>
    private static bool TryParse(string[] args, out string verb, out string? argument, out Dictionary<string, string> options, out string[] settings)
    {
        string[] own = ["name", "tenant", "url", "admin-key"];
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var option = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..].Split('=', 2) : null;
            if (option is not null && own.Contains(option[0]))
            {
                if (option.Length == 1 && i + 1 >= args.Length)
                {
                    (verb, argument, settings) = ("", null, []);
                    return false;
                }

                options[option[0]] = option.Length == 2 ? option[1] : args[++i];
            }
            else if (option is not null)
            {
                rest.Add(arg);
            }
            else
            {
                positional.Add(arg);
            }
        }

        verb = positional.FirstOrDefault() ?? "";
        argument = positional.Skip(1).FirstOrDefault();
        settings = [.. rest];
        var onlyConnection = options.Keys.All(k => k is "url" or "admin-key");
        return (verb == "create" && positional.Count == 1)
            || (verb == "list" && positional.Count == 1 && onlyConnection)
            || (verb == "revoke" && positional.Count == 2 && onlyConnection);
    }
}
