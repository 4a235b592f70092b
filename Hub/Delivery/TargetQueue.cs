using System.Threading.Channels;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// One bounded queue and one worker per target: a slow or failing target never delays the others,
/// and items reach the target in arrival order. When the queue is full, <see cref="EnqueueAsync"/>
/// waits, which pauses reading from the broker (backpressure) instead of growing memory.
/// </summary>
public sealed class TargetQueue
{
    private readonly Channel<DeliveryItem> _channel;
    private readonly RunningSink _sink;
    private Task? _worker;

    public TargetQueue(string service, string? target, RunningSink sink, int capacity)
    {
        Service = service;
        Target = target;
        _sink = sink;
        _channel = Channel.CreateBounded<DeliveryItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Service { get; }
    public string? Target { get; }
    public TargetCounters Counters { get; } = new();
    public int Pending => _channel.Reader.Count;

    public string DisplayName => Target is null ? Service : $"{Service}:{Target}";

    public void Start(CancellationToken stopping) => _worker ??= Task.Run(() => RunAsync(stopping), CancellationToken.None);

    public ValueTask EnqueueAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Counters.OnQueued();
        return _channel.Writer.TryWrite(item) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(item, cancellationToken);
    }

    /// <summary>Stops accepting items and waits until the queued ones are delivered, or the token fires.</summary>
    public async Task DrainAsync(CancellationToken deadline)
    {
        _channel.Writer.TryComplete();
        if (_worker is not null)
        {
            await _worker.WaitAsync(deadline).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                Counters.On(await _sink.AttemptAsync(item, stopping).ConfigureAwait(false));
            }
        }
    }
}
