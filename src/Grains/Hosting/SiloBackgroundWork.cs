namespace SessionGrid.Grains.Hosting;

/// <summary>
/// Work a silo runs in the background while it is active: started when the silo becomes active (grains can be
/// called), cancelled and awaited when it begins to stop.
/// </summary>
public abstract class SiloBackgroundWork : ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenSource? _stop;
    private Task? _work;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>The work; it ends when <paramref name="stop"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stop);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        _work = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stop is null || _work is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _work.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
