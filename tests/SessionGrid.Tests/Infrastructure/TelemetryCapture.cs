using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>
/// What a host exports through OpenTelemetry, captured in memory: finished spans and metric snapshots by the in-memory
/// exporter, log records as text (with their scopes) the moment they are exported, since the SDK reuses log records.
/// The activity sources are process-wide, so spans of other tests' hosts arrive too: filter by your own ids.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly Locked<Activity> _spans = new();
    private readonly Locked<MetricSnapshot> _metrics = new();
    private readonly Locked<CapturedLog> _logs = new();

    public sealed record CapturedLog(string Text, IReadOnlyDictionary<string, object?> Scope);

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();
    public IReadOnlyList<MetricSnapshot> Metrics => _metrics.Snapshot();
    public IReadOnlyList<CapturedLog> Logs => _logs.Snapshot();

    public void Configure(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new LogText(_logs)));
    }

    /// <summary>Exports what the host's providers hold now (metrics are otherwise exported once a minute).</summary>
    public void Flush(IServiceProvider services)
    {
        services.GetRequiredService<TracerProvider>().ForceFlush();
        _metrics.Clear();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        services.GetRequiredService<LoggerProvider>().ForceFlush();
    }

    private sealed class LogText(Locked<CapturedLog> logs) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord record)
        {
            var scope = new Dictionary<string, object?>();
            record.ForEachScope((entry, _) =>
            {
                foreach (var (key, value) in entry)
                {
                    scope[key] = value;
                }
            }, (object?)null);
            var attributes = string.Join(", ", (record.Attributes ?? []).Select(a => $"{a.Key}={a.Value}"));
            var text = $"{record.CategoryName} {record.LogLevel}: {record.FormattedMessage} [{attributes}] [{string.Join(", ", scope)}] {record.Exception}";
            logs.Add(new CapturedLog(text, scope));
        }
    }

    /// <summary>A collection the exporters add to from any thread while the test reads snapshots.</summary>
    private sealed class Locked<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public IReadOnlyList<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().ToList().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
