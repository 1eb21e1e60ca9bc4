using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using SessionGrid.Api.Http;
using SessionGrid.Contracts.Actions;
using SessionGrid.Contracts.Tasks;

namespace SessionGrid.Api.BrowserSessionApi;

/// <summary>
/// Renders engine records in the ScrapEngine Browser Session API's shapes (seed 000): raw camelCase JSON, and errors as
/// RFC 7807 problem details (<c>application/problem+json</c>) with a <c>code</c>, and for a failed task the failing
/// action's <c>actionIndex</c> and <c>actionType</c> and the <c>actionResults</c> of the actions that ran before it.
/// </summary>
public static class BrowserSessionWire
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static JsonHttpResult<JsonObject> Ok(JsonObject body, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(body, JsonOptions, statusCode: status);

    public static JsonHttpResult<JsonObject> Problem(int status, string detail, JsonObject? extensions = null)
    {
        var problem = new JsonObject
        {
            ["type"] = "about:blank",
            ["title"] = Title(status),
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = Code(status),
        };
        foreach (var (name, value) in extensions ?? [])
        {
            problem[name] = value?.DeepClone();
        }

        return TypedResults.Json(problem, JsonOptions, "application/problem+json", status);
    }

    /// <summary>The HTTP status of a failed action: seed 000's table.</summary>
    public static int StatusOf(ActionStatus status) => status switch
    {
        ActionStatus.Invalid or ActionStatus.Refused => StatusCodes.Status400BadRequest,
        ActionStatus.NotFound => StatusCodes.Status404NotFound,
        ActionStatus.TimedOut => StatusCodes.Status408RequestTimeout,
        ActionStatus.Failed => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status503ServiceUnavailable,
    };

    /// <summary>
    /// A session object; <paramref name="cdpUrl"/> is its CDP endpoint while it is active with a browser of its own, else
    /// null; <paramref name="recordingUrl"/> the signed link to its video once it is there (<paramref name="replayUrl"/>: the
    /// video beside the session's events), else null.
    /// </summary>
    public static JsonObject Session(TaskSnapshot session, string? currentUrl, string? cdpUrl, string? recordingUrl = null, string? replayUrl = null) => new()
    {
        ["id"] = session.Id,
        ["status"] = session.Phase switch
        {
            TaskPhase.Waiting => "queued",
            TaskPhase.Running => "active",
            TaskPhase.Failed => "failed",
            _ => "closed",
        },
        ["device"] = DeviceWire.Name(session.Device),
        ["url"] = currentUrl,
        ["createdAt"] = WireTime.Iso(session.CreatedAt),
        ["closedAt"] = session.FinishedAt is { } closed ? WireTime.Iso(closed) : null,
        ["error"] = session.Error,
        ["cdpUrl"] = cdpUrl,
        ["recordingUrl"] = recordingUrl,
        ["replayUrl"] = replayUrl,
    };

    /// <summary>
    /// One entry of <c>actionResults</c>: <c>{type, ok}</c> plus what the action returned: evaluate's value as
    /// <c>value</c>, other actions' fields as they are (<c>charactersTyped</c>, <c>selected</c>, <c>screenshot</c> …).
    /// </summary>
    public static JsonObject ActionResult(ActionOutcome outcome)
    {
        var result = new JsonObject { ["type"] = outcome.Action, ["ok"] = outcome.Ok };
        if (!outcome.Ok)
        {
            result["error"] = outcome.Error;
            return result;
        }

        var value = outcome.Value is null ? null : JsonNode.Parse(outcome.Value);
        if (outcome.Action == "evaluate")
        {
            result["value"] = value;
        }
        else if (value is JsonObject fields)
        {
            foreach (var (name, field) in fields)
            {
                result[name] = field?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>A field of an action's value object (<c>screenshot</c> of a screenshot, <c>pdf</c> of a pdf).</summary>
    public static JsonNode? Field(ActionOutcome outcome, string name) =>
        outcome.Value is null ? null : JsonNode.Parse(outcome.Value)?[name]?.DeepClone();

    private static string Title(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Error",
    };

    private static string Code(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        404 => "not_found",
        408 => "timeout",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "action_failed",
        429 => "too_many_requests",
        503 => "session_unavailable",
        _ => "error",
    };
}
