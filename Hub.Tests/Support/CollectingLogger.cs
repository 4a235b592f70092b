using Xunit.Abstractions;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Support;

/// <summary>An ILogger that keeps every entry (and echoes to the test output if given), so tests can assert on log lines.</summary>
public sealed class CollectingLogger(ITestOutputHelper? output = null, LogLevel minimum = LogLevel.Debug) : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})");
        _entries.Enqueue((logLevel, message));
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {message}");
        }
        catch (InvalidOperationException)
        {
            // the test already finished
        }

        Interlocked.Exchange(ref _logged, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Waits until an entry matches, or throws <see cref="TimeoutException"/> listing what was logged.</summary>
    public async Task<(LogLevel Level, string Message)> WaitForAsync(Func<(LogLevel Level, string Message), bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var logged = Volatile.Read(ref _logged).Task;
            foreach (var entry in _entries)
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
                throw new TimeoutException("No matching log entry. Logged:\n" + string.Join('\n', _entries.Select(e => $"{e.Level}: {e.Message}")));
            }
        }
    }
}
