namespace SessionGrid.Contracts.Common;

/// <summary>
/// A long wait made of short grain calls: no single call waits longer than <see cref="Slice"/>, well under Orleans'
/// response timeout, so a long wait never times a call out and a silo that goes away is noticed within one slice.
/// </summary>
public static class LongPoll
{
    /// <summary>The longest one call of a long-poll waits.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Calls <paramref name="poll"/> with waits of at most <see cref="Slice"/> until its answer satisfies
    /// <paramref name="done"/>, <paramref name="maxWait"/> has passed (<see cref="Timeout.InfiniteTimeSpan"/>: no
    /// limit) or <paramref name="cancellationToken"/> fired. Answers the last poll's result and whether it was done;
    /// <c>(default, false)</c> when cancelled.
    /// </summary>
    public static async Task<(T? Last, bool Done)> UntilAsync<T>(
        Func<TimeSpan, Task<T>> poll, Func<T, bool> done, TimeSpan maxWait, TimeProvider clock, CancellationToken cancellationToken)
    {
        var until = maxWait == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : clock.GetUtcNow() + maxWait;
        while (true)
        {
            var left = until == DateTimeOffset.MaxValue ? Slice : until - clock.GetUtcNow();
            var wait = left < TimeSpan.Zero ? TimeSpan.Zero : left > Slice ? Slice : left;
            T answer;
            try
            {
                answer = await poll(wait).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (default, false);
            }

            if (done(answer))
            {
                return (answer, true);
            }

            if (clock.GetUtcNow() >= until || cancellationToken.IsCancellationRequested)
            {
                return (answer, false);
            }
        }
    }
}
