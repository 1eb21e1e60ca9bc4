using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SessionGrid.Api.Http;

/// <summary>
/// Reads a JSON request body within a size limit and turns every way it can be wrong (too large, empty,
/// malformed, wrong types) into a client error with a message that says what and where.
/// </summary>
public static class JsonBody
{
    /// <summary>Reads the body as <typeparamref name="T"/>; an empty body reads as <c>{}</c> when <paramref name="allowEmpty"/>.</summary>
    public static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, int maxBytes, JsonSerializerOptions options, bool allowEmpty = false)
        where T : class
    {
        var json = await ReadObjectAsync(request, maxBytes, allowEmpty);
        return json.Ok ? Bind<T>(json.Value, options) : BodyResult<T>.Fail(json.Status, json.Error!);
    }

    /// <summary>
    /// Reads the body as the JSON object the client sent, for a dialect that parses parts of it itself (engine actions);
    /// an empty body reads as <c>{}</c> when <paramref name="allowEmpty"/>.
    /// </summary>
    public static async Task<BodyResult<JsonElement>> ReadObjectAsync(HttpRequest request, int maxBytes, bool allowEmpty = false)
    {
        using var buffer = await ReadLimitedAsync(request, maxBytes);
        if (buffer is null)
        {
            return TooLarge<JsonElement>(maxBytes);
        }

        if (buffer.Length == 0 && allowEmpty)
        {
            buffer.Write("{}"u8);
        }

        if (buffer.Length == 0)
        {
            return BodyResult<JsonElement>.Fail(StatusCodes.Status400BadRequest, "the request body is empty; a JSON object is required");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new BodyResult<JsonElement>(document.RootElement.Clone(), StatusCodes.Status200OK, null)
                : BodyResult<JsonElement>.Fail(StatusCodes.Status400BadRequest, "the request body must be a JSON object");
        }
        catch (JsonException ex)
        {
            return BodyResult<JsonElement>.Fail(StatusCodes.Status400BadRequest, Describe(ex));
        }
    }

    /// <summary>
    /// The whole body, read within <paramref name="maxBytes"/> whether or not it declares its length (at the start of the
    /// stream); null when it is larger. For a front end whose body another reader parses (the MCP SDK).
    /// </summary>
    public static async Task<MemoryStream?> ReadLimitedAsync(HttpRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>The body's object (from <see cref="ReadObjectAsync"/>) as <typeparamref name="T"/>, or what is wrong with its fields.</summary>
    public static BodyResult<T> Bind<T>(JsonElement body, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            var value = body.Deserialize<T>(options);
            return value is null
                ? BodyResult<T>.Fail(StatusCodes.Status400BadRequest, "the request body must be a JSON object")
                : new BodyResult<T>(value, StatusCodes.Status200OK, null);
        }
        catch (JsonException ex)
        {
            return BodyResult<T>.Fail(StatusCodes.Status400BadRequest, Describe(ex));
        }
    }

    private static BodyResult<T> TooLarge<T>(int maxBytes) =>
        BodyResult<T>.Fail(StatusCodes.Status413PayloadTooLarge, $"the request body is larger than the limit of {maxBytes} bytes");

    private static string Describe(JsonException ex)
    {
        if (ex.Path is { Length: > 1 } path && ex.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"invalid request body: {path[2..]} has the wrong type";
        }

        var message = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
        return $"invalid JSON: {message}";
    }
}
