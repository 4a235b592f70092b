using System.Collections.Concurrent;
using System.Threading.Channels;
using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Keeps what it receives; readers can await items with a timeout.</summary>
public sealed class CollectingSink : ISink
{
    private readonly Channel<DeliveryItem> _received = Channel.CreateUnbounded<DeliveryItem>();
    public ConcurrentQueue<DeliveryItem> Items { get; } = new();

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Items.Enqueue(item);
        _received.Writer.TryWrite(item);
        return ValueTask.CompletedTask;
    }

    public async Task<DeliveryItem> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _received.Reader.ReadAsync(cts.Token);
    }
}

/// <summary>Always fails.</summary>
public sealed class ThrowingSink : ISink
{
    public int Calls;

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        throw new InvalidOperationException("the service refused the message");
    }
}

/// <summary>Waits until released (or cancelled), to model a hanging or slow service.</summary>
public sealed class BlockingSink : ISink
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Started;

    public void Release() => _release.TrySetResult();

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Started);
        await _release.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>A sink whose synchronous call takes <see cref="Takes"/> of a fake clock (it advances the clock while it runs).</summary>
public sealed class SlowSink(FakeTimeProvider clock) : ISink
{
    public TimeSpan Takes { get; set; }

    public int Calls { get; private set; }

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Calls++;
        clock.Advance(Takes);
        return ValueTask.CompletedTask;
    }
}
