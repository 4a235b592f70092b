using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Hub.Tests.Support;

/// <summary>
/// An ILogger (and logger factory) that keeps every entry, optionally echoing to the test output,
/// so tests can assert on log lines or wait for one.
/// </summary>
public sealed class CollectingLogger(ITestOutputHelper? output = null, LogLevel minimum = LogLevel.Debug) : ILogger, ILoggerFactory
{
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Records { get; } = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. Records.Select(r => (r.Level, r.Message))];

    public IEnumerable<string> Messages(LogLevel level) => Records.Where(r => r.Level == level).Select(r => r.Message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Add("test", logLevel, formatter(state, exception), exception);

    public ILogger CreateLogger(string categoryName) => new Categorised(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    /// <summary>Waits until an entry matches, or throws <see cref="TimeoutException"/> listing what was logged.</summary>
    public async Task<(LogLevel Level, string Message)> WaitForAsync(Func<(LogLevel Level, string Message), bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var logged = Volatile.Read(ref _logged).Task;
            foreach (var entry in Entries)
            {
                if (match(entry))
                {
                    return entry;
                }
            }

            try
            {
                await logged.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No matching log entry. Logged:\n" + string.Join('\n', Records.Select(e => $"{e.Level}: {e.Message}")));
            }
        }
    }

    private void Add(string category, LogLevel level, string text, Exception? exception)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var message = text + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})");
        Records.Enqueue((level, category, message));
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level} [{category}]: {message}");
        }
        catch (InvalidOperationException)
        {
            // the test already finished
        }

        Interlocked.Exchange(ref _logged, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private sealed class Categorised(CollectingLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => owner.IsEnabled(logLevel);
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(category, logLevel, formatter(state, exception), exception);
    }
}
