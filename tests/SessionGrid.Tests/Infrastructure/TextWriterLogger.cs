using Microsoft.Extensions.Logging;

namespace SessionGrid.Tests.Infrastructure;

/// <summary>Writes every log entry a host makes (with its exception in full) to a test's writer, so a test can read what the host logged.</summary>
public sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    private readonly TextWriter _writer = TextWriter.Synchronized(writer);

    public ILogger CreateLogger(string categoryName) => new Logger(_writer, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            writer.WriteLine($"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}");
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                writer.WriteLine("  " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}")));
            }

            if (exception is not null)
            {
                writer.WriteLine(exception.ToString());
            }
        }
    }
}
