using System.Diagnostics;
using System.Threading.Channels;
using Hub.Delivery;
using Hub.Mqtt;
using Microsoft.Extensions.Logging;

namespace Hub.Pipeline;

/// <summary>
/// Routes received messages off the thread that read them: N workers, each with a bounded queue; a message goes to worker
/// hash(route) % N, its route being the topic sections its topic matches (<see cref="RouteKey"/>). So the messages of one
/// topic, and of one route (they share its targets), are routed and queued for delivery in arrival order, and different
/// routes run in parallel. A full queue makes <see cref="HandAsync"/> wait, which pauses the MQTT reader (backpressure,
/// never unbounded memory).
/// <para>
/// A lone message (none in the last 250 µs) whose worker is idle and whose routes are built-in steps only (no user
/// function, no plugin stage: nothing that can block) is routed on the calling thread, which saves a thread hop; if it
/// does not finish at once (a full target queue), its worker takes it over and anything for its topics queues behind it.
/// </para>
/// </summary>
internal sealed class RouteWorkers
{
    /// <summary>A hand-off this long after the one before is a lone message, not part of a burst.</summary>
    private static readonly long QuietTicks = Stopwatch.Frequency / 4000;

    /// <summary>What a message handed over while the workers stop gets: never acknowledged, so the broker sends it again.</summary>
    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly Worker[] _workers;
    private readonly Func<MqttApplicationMessage, MessageAcceptance?, CancellationToken, ValueTask> _route;
    private readonly Func<string, RouteKey> _classify;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _loops = [];
    private long _lastHandOff;
    private long _failures;
    private long _inline;
    private volatile bool _stopped;

    /// <param name="count">Number of workers.</param>
    /// <param name="capacity">Messages each worker's queue holds.</param>
    /// <param name="route">Routes one message and queues its items (taking a ticket of the acceptance for each, when there is one).</param>
    /// <param name="classify">A topic's route: its hash, and whether it is made of built-in steps only (may run on the caller's thread); null: by topic, never inline.</param>
    /// <param name="logger">Where a routing failure is logged.</param>
    public RouteWorkers(
        int count, int capacity, Func<MqttApplicationMessage, MessageAcceptance?, CancellationToken, ValueTask> route, Func<string, RouteKey>? classify, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _route = route;
        _classify = classify ?? (topic => new RouteKey(RouteKey.Of(topic), BuiltInOnly: false));
        _logger = logger;
        _workers = Enumerable.Range(0, count).Select(_ => new Worker(capacity)).ToArray();
    }

    public int Count => _workers.Length;

    /// <summary>Messages whose routing threw (each logged; the next message goes on).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Messages routed on the calling thread (the lone-message fast path).</summary>
    public long RoutedInline => Interlocked.Read(ref _inline);

    /// <summary>The worker a topic's messages go to.</summary>
    public int IndexOf(string topic) => IndexOf(_classify(topic));

    private int IndexOf(RouteKey key) => (int)(key.Hash % (uint)_workers.Length);

    public void Start() => _loops = _workers.Select(worker => Task.Run(() => RunAsync(worker))).ToArray();

    /// <summary>
    /// Hands a message to its worker. Completes when the message is queued (it waits while the queue is full); the task it
    /// returns completes when every target accepted the message (QoS 1/2; at once for QoS 0, or when routing failed).
    /// </summary>
    public ValueTask<Task> HandAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return new ValueTask<Task>(Never);
        }

        var key = _classify(message.Topic);
        var worker = _workers[IndexOf(key)];
        var now = Stopwatch.GetTimestamp();
        var lone = now - Interlocked.Exchange(ref _lastHandOff, now) > QuietTicks;
        if (lone && key.BuiltInOnly && worker.TryClaim())
        {
            return new ValueTask<Task>(RouteInline(worker, message));
        }

        var work = new Work(message, message.Qos > 0 ? new MessageAcceptance() : null, null);
        worker.OnQueued();
        if (worker.Queue.Writer.TryWrite(work))
        {
            return new ValueTask<Task>(work.Accepted);
        }

        return WaitForRoomAsync(worker, work, cancellationToken);
    }

    /// <summary>Takes no more messages, routes those queued (until <paramref name="deadline"/>), and stops the workers.</summary>
    public async Task StopAsync(CancellationToken deadline)
    {
        _stopped = true;
        foreach (var worker in _workers)
        {
            worker.Queue.Writer.TryComplete();
            worker.SignalRoom();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(deadline).ConfigureAwait(false);
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The worker's queue is full: wait until it has drained to half (<see cref="Worker.RoomAsync"/>), not for the first free
    /// slot. Waiting for one slot woke the reader for every message the worker took, a thread hand-off per message while
    /// the worker is the bottleneck (docs/speed.md); now the worker routes half a queue undisturbed and the reader refills it
    /// in one go.
    /// </summary>
    private async ValueTask<Task> WaitForRoomAsync(Worker worker, Work work, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var room = worker.RoomAsync();
                if (worker.Queue.Writer.TryWrite(work))
                {
                    return work.Accepted;
                }

                if (_stopped)
                {
                    worker.OnDone();
                    return Never;
                }

                await room.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            worker.OnDone();
            throw;
        }
    }

    private Task RouteInline(Worker worker, MqttApplicationMessage message)
    {
        Interlocked.Increment(ref _inline);
        var acceptance = message.Qos > 0 ? new MessageAcceptance() : null;
        ValueTask routing;
        try
        {
            routing = _route(message, acceptance, _stopping.Token);
        }
#pragma warning disable CA1031 // Logged and counted below, as on a worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            routing = ValueTask.FromException(ex);
        }

        if (!routing.IsCompleted)
        {
            // The worker owns the rest: it is idle and claimed, so its queue has room, and what comes next queues behind.
            var work = new Work(message, acceptance, routing.AsTask());
            if (worker.Queue.Writer.TryWrite(work))
            {
                return work.Accepted;
            }

            worker.OnDone();
            return Never;
        }

        worker.OnDone();
        if (!routing.IsCompletedSuccessfully)
        {
            OnFailure(message, routing.AsTask().Exception?.InnerException);
        }

        return Sealed(acceptance);
    }

    private async Task RunAsync(Worker worker)
    {
        await foreach (var work in worker.Queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            worker.OnTaken();
            try
            {
                await (work.Started ?? _route(work.Message, work.Acceptance, _stopping.Token).AsTask()).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing route must not stop the worker: logged, counted, the next message goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                OnFailure(work.Message, ex);
            }
            finally
            {
                _ = Sealed(work.Acceptance);
                worker.OnDone();
            }
        }
    }

    private void OnFailure(MqttApplicationMessage message, Exception? ex)
    {
        Interlocked.Increment(ref _failures);
        _logger.LogError(ex, "Routing the message on {Topic} failed", message.Topic);
    }

    /// <summary>Every item of the message is queued: its acceptance completes once they are all accepted.</summary>
    private static Task Sealed(MessageAcceptance? acceptance)
    {
        acceptance?.Seal();
        return acceptance?.Accepted ?? Task.CompletedTask;
    }

    /// <summary>One message for a worker; <see cref="Started"/> is its routing begun on the caller's thread.</summary>
    private sealed class Work(MqttApplicationMessage message, MessageAcceptance? acceptance, Task? started)
    {
        public MqttApplicationMessage Message { get; } = message;

        public MessageAcceptance? Acceptance { get; } = acceptance;

        public Task? Started { get; } = started;

        /// <summary>Completes when the message is routed (its acceptance is sealed then) and, for QoS 1/2, every target accepted it.</summary>
        public Task Accepted => Acceptance?.Accepted ?? Task.CompletedTask;
    }

    /// <summary>One worker: its bounded queue and the messages queued or being routed on it.</summary>
    private sealed class Worker(int capacity)
    {
        private readonly Lock _roomLock = new();
        private readonly int _lowWater = capacity / 2;
        private int _pending;
        private TaskCompletionSource? _room;

        public Channel<Work> Queue { get; } = Channel.CreateBounded<Work>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false });

        /// <summary>Completes when the queue has drained to half its capacity (or the workers stop); a writer that found it full waits for it.</summary>
        public Task RoomAsync()
        {
            lock (_roomLock)
            {
                return (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }

        /// <summary>The worker took a message: when a writer waits and the queue is down to half, wake it.</summary>
        public void OnTaken()
        {
            if (Volatile.Read(ref _room) is not null && Queue.Reader.Count <= _lowWater)
            {
                SignalRoom();
            }
        }

        public void SignalRoom()
        {
            TaskCompletionSource? room;
            lock (_roomLock)
            {
                room = _room;
                _room = null;
            }

            room?.TrySetResult();
        }

        /// <summary>True (and the worker counts as busy) when nothing is queued or being routed on it.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _pending, 1, 0) == 0;

        public void OnQueued() => Interlocked.Increment(ref _pending);

        public void OnDone() => Interlocked.Decrement(ref _pending);
    }
}
