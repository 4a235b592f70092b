using System.Collections.Concurrent;
using System.Threading.Channels;
using Hub.Plugins;

namespace Hub.Tests.Delivery;

/// <summary>A sink that answers each call from a script (an exception to throw, or null for success; the last entry repeats) and records when each call came.</summary>
internal sealed class ScriptedSink(TimeProvider time, params Exception?[] script) : ISink
{
    private readonly ConcurrentQueue<Exception?> _script = new(script);
    private readonly Channel<(DateTimeOffset At, DeliveryItem Item)> _calls = Channel.CreateUnbounded<(DateTimeOffset, DeliveryItem)>();
    private Exception? _last;

    public ConcurrentQueue<(DateTimeOffset At, string Message, bool Succeeded)> Calls { get; } = new();

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var outcome = _script.TryDequeue(out var next) ? _last = next : _last;
        Calls.Enqueue((time.GetUtcNow(), item.Message, outcome is null));
        _calls.Writer.TryWrite((time.GetUtcNow(), item));
        return outcome is null ? ValueTask.CompletedTask : ValueTask.FromException(outcome);
    }

    /// <summary>Waits (real time, bounded) for the next call.</summary>
    public async Task<(DateTimeOffset At, DeliveryItem Item)> NextCallAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _calls.Reader.ReadAsync(cts.Token);
    }
}
