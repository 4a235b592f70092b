using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Support;

/// <summary>An ILogger (and factory) that keeps every record, for assertions.</summary>
public sealed class CollectingLogger : ILogger, ILoggerFactory, ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Records { get; } = new();

    public string Category { get; init; } = "test";

    public IEnumerable<string> Messages(LogLevel level) => Records.Where(r => r.Level == level).Select(r => r.Message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Records.Enqueue((logLevel, Category, formatter(state, exception)));

    public ILogger CreateLogger(string categoryName) => new Scoped(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Scoped(CollectingLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Records.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
