using System.Threading.Channels;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// One bounded queue and one worker per target: a slow or failing target never delays the others,
/// and items reach the target in arrival order. When the queue is full, <see cref="EnqueueAsync"/>
/// waits, which pauses reading from the broker (backpressure) instead of growing memory. A plugin that
/// blocks the worker's thread past its timeout is left behind: a new worker takes over the queue.
/// </summary>
public sealed class TargetQueue
{
    private readonly Channel<DeliveryItem> _channel;
    private readonly RunningSink _sink;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _workerLock = new();
    private CancellationToken _stopping;
    private int _worker;

    public TargetQueue(string service, string? target, RunningSink sink, int capacity)
    {
        Service = service;
        Target = target;
        _sink = sink;
        _channel = Channel.CreateBounded<DeliveryItem>(new BoundedChannelOptions(capacity)
        {
            // Normally one reader; two only for the instant a worker left behind by a blocking plugin comes back.
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string Service { get; }
    public string? Target { get; }
    public TargetCounters Counters { get; } = new();
    public int Pending => _channel.Reader.Count;

    public string DisplayName => Target is null ? Service : $"{Service}:{Target}";

    public void Start(CancellationToken stopping)
    {
        lock (_workerLock)
        {
            if (_worker == 0)
            {
                _stopping = stopping;
                StartWorker(1);
            }
        }
    }

    public ValueTask EnqueueAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Counters.OnQueued();
        return _channel.Writer.TryWrite(item) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(item, cancellationToken);
    }

    /// <summary>Stops accepting items and waits until the queued ones are delivered, or the token fires.</summary>
    public async Task DrainAsync(CancellationToken deadline)
    {
        _channel.Writer.TryComplete();
        bool started;
        lock (_workerLock)
        {
            started = _worker != 0;
        }

        if (started)
        {
            await _drained.Task.WaitAsync(deadline).ConfigureAwait(false);
        }
    }

    private void StartWorker(int id)
    {
        _worker = id;
        _ = Task.Run(() => RunAsync(id), CancellationToken.None);
    }

    private bool IsCurrent(int id) => Volatile.Read(ref _worker) == id;

    private void ReplaceWorker(int id)
    {
        lock (_workerLock)
        {
            if (_worker == id)
            {
                StartWorker(id + 1);
            }
        }
    }

    private async Task RunAsync(int id)
    {
        var reader = _channel.Reader;
        var batch = _sink.Batch is { } batchSink ? new List<DeliveryItem>(Math.Max(1, batchSink.MaxBatchSize)) : null;
        while (IsCurrent(id) && await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (IsCurrent(id) && reader.TryRead(out var item))
            {
                var count = 1;
                Action onBlocked = () =>
                {
                    Counters.On(DeliveryResult.TimedOut, count);
                    ReplaceWorker(id);
                };
                DeliveryResult result;
                if (batch is null)
                {
                    result = await _sink.AttemptAsync(item, _stopping, onBlocked).ConfigureAwait(false);
                }
                else
                {
                    // Whatever is queued right now goes as one batch: no waiting, so a lone item is not delayed.
                    batch.Clear();
                    batch.Add(item);
                    while (batch.Count < batch.Capacity && reader.TryRead(out var next))
                    {
                        batch.Add(next);
                    }

                    count = batch.Count;
                    result = await _sink.AttemptBatchAsync(batch, _stopping, onBlocked).ConfigureAwait(false);
                }

                if (result != DeliveryResult.Abandoned)
                {
                    Counters.On(result, count);
                }
            }
        }

        if (IsCurrent(id))
        {
            _drained.TrySetResult();
        }
    }
}
