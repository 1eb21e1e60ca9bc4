using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SessionGrid.Api.Http;

/// <summary>
/// What the endpoints that a session's own token opens (the live view, CDP) share: the token's form, checked before a
/// session is asked; the longest session id they ask about; and their answers, <c>{"detail": …}</c>.
/// </summary>
public static class TokenEndpoint
{
    /// <summary>Longer ids name no session: answered as not live, without asking.</summary>
    public const int MaxSessionIdLength = 128;

    /// <summary>A session's tokens are 32 bytes in lower-case hex; anything else is refused without asking the session.</summary>
    public static bool IsWellFormed(string token) => token.Length == 64 && token.All(char.IsAsciiHexDigitLower);

    public static JsonHttpResult<JsonObject> NotLive() =>
        Detail(StatusCodes.Status404NotFound, "no live session here: it ended, or it never was");

    public static JsonHttpResult<JsonObject> Detail(int status, string message) =>
        TypedResults.Json(new JsonObject { ["detail"] = message }, statusCode: status);
}
