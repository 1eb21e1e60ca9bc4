using System.ComponentModel.DataAnnotations;

namespace SessionGrid.Api.Http;

/// <summary>Settings under <c>SessionGrid:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "SessionGrid:Api";

    /// <summary>The largest JSON request body accepted; larger ones answer 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How long a Task API <c>GET /task/{id}</c> is held while the task has work in flight and no event newer than the
    /// reader's <c>event_t</c> (a long-poll); 0 answers every read at once. Kept under the Smooth SDKs' 30 s request timeout.
    /// </summary>
    [Range(0, 25)]
    public double LongPollSeconds { get; set; } = 10;
}
