using System.Collections.Concurrent;
using System.Threading.Channels;
using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>An inner step that answers from a script (the last entry repeats) and records when each call came, on the test's clock.</summary>
internal sealed class RecordingStep(TimeProvider time, params DeliveryAttempt[] script) : IDeliveryStep
{
    private readonly ConcurrentQueue<DeliveryAttempt> _script = new(script);
    private readonly Channel<DateTimeOffset> _calls = Channel.CreateUnbounded<DateTimeOffset>();
    private DeliveryAttempt _last = DeliveryResult.Sent;

    public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();

    /// <summary>While set, each call waits for it before it answers.</summary>
    public Task? Hold { get; set; }

    public async ValueTask<DeliveryAttempt> SendAsync(DeliveryCall call)
    {
        Calls.Enqueue(time.GetUtcNow());
        _calls.Writer.TryWrite(time.GetUtcNow());
        if (Hold is { } hold)
        {
            await hold;
        }

        return _script.TryDequeue(out var next) ? _last = next : _last;
    }

    /// <summary>Waits (real time, bounded) for the next call and says when it came.</summary>
    public async Task<DateTimeOffset> NextCallAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _calls.Reader.ReadAsync(cts.Token);
    }

    public static DeliveryCall Call(TimeProvider time, string message = "m", CancellationToken draining = default) =>
        new([new QueuedItem(Some.Item(message), time.GetUtcNow())], CancellationToken.None, draining);

    public static DeliveryAttempt Failure(Exception failure) => new(DeliveryResult.Threw, failure);
}
