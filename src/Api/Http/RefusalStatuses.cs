using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using SessionGrid.Contracts.Sessions;

namespace SessionGrid.Api.Http;

/// <summary>
/// The HTTP status a dialect answers when a session refuses a request (<see cref="SessionRefusal"/>):
/// <see cref="Default"/> for every dialect, and a dialect's own table made from it with <see cref="With"/> for the
/// refusals it renders differently.
/// </summary>
public sealed class RefusalStatuses
{
    /// <summary>
    /// 404 for a session that has ended or a thing it names that does not exist, 503 for a session not open on this
    /// host, 400 for a request that does not fit the session, 429 for a limit reached, 409 for a thing in use, 403 for a
    /// credential that is not the session's.
    /// </summary>
    public static readonly RefusalStatuses Default = new(new Dictionary<SessionRefusal, int>
    {
        [SessionRefusal.Closed] = StatusCodes.Status404NotFound,
        [SessionRefusal.NotOpenHere] = StatusCodes.Status503ServiceUnavailable,
        [SessionRefusal.Invalid] = StatusCodes.Status400BadRequest,
        [SessionRefusal.LimitReached] = StatusCodes.Status429TooManyRequests,
        [SessionRefusal.NotFound] = StatusCodes.Status404NotFound,
        [SessionRefusal.Conflict] = StatusCodes.Status409Conflict,
        [SessionRefusal.Forbidden] = StatusCodes.Status403Forbidden,
    });

    private readonly FrozenDictionary<SessionRefusal, int> _statuses;

    private RefusalStatuses(IDictionary<SessionRefusal, int> statuses) => _statuses = statuses.ToFrozenDictionary();

    /// <summary>This table with <paramref name="refusal"/> answered as <paramref name="status"/>.</summary>
    public RefusalStatuses With(SessionRefusal refusal, int status) =>
        new(new Dictionary<SessionRefusal, int>(_statuses) { [refusal] = status });

    /// <summary>The status of <paramref name="refusal"/>; 400 for one the table does not name.</summary>
    public int Of(SessionRefusal refusal) => _statuses.GetValueOrDefault(refusal, StatusCodes.Status400BadRequest);

    /// <summary>The status of a refused reply.</summary>
    public int Of(SessionReply reply) => Of(reply.Refusal);
}
