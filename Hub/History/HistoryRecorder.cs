using System.Threading.Channels;
using Hub.Mqtt;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Hub.History;

/// <summary>
/// Records what the <c>[history:NAME]</c> rules select. <see cref="Record"/> runs on the message path: it matches the
/// topic, copies the payload into a bounded queue and returns; when the queue is full the message is counted and
/// dropped (a rate-limited warning), routing never waits. One writer task parses the payloads, batches the points
/// (<c>batch_size</c>, <c>flush_interval</c>), writes them, and enforces retention every <c>maintenance_interval</c>.
/// A failed write (full disk, I/O error, a store that cannot open) is logged, counted, and the batch dropped.
/// </summary>
internal sealed class HistoryRecorder : IAsyncDisposable
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly HistoryOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Message> _queue;
    private readonly ITimer _flushTimer;
    private readonly ITimer _maintenanceTimer;
    private readonly Task _writer;
    private readonly List<HistoryPoint> _batch = [];
    private readonly Dictionary<(string Topic, string Field), long> _lastTimestamps = [];
    private volatile IReadOnlyList<HistoryRule> _rules;
    private HistoryStore? _store;
    private long _dropped, _droppedSinceWarning, _written, _failedPoints, _writeFailures, _unreadable;
    private DateTimeOffset _lastDropWarning = DateTimeOffset.MinValue, _lastFailureWarning = DateTimeOffset.MinValue;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HistoryRecorder(HistoryOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _rules = options.Rules;
        _queue = Channel.CreateBounded<Message>(new BoundedChannelOptions(options.QueueSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _flushTimer = time.CreateTimer(_ => _queue.Writer.TryWrite(Message.Flush), null, options.FlushInterval, options.FlushInterval);
        _maintenanceTimer = time.CreateTimer(_ => _queue.Writer.TryWrite(Message.Maintain), null, options.MaintenanceInterval, options.MaintenanceInterval);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Messages dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Points written to the store.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Points lost to failed writes.</summary>
    public long FailedPoints => Interlocked.Read(ref _failedPoints);

    /// <summary>Batches whose write failed (or found no store to write to).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Recorded messages whose payload held no value the rule wants.</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>The store, once open (for tests).</summary>
    internal HistoryStore? Store => _store;

    /// <summary>Starts recording (the store opens on the writer's thread; failing to open is logged and retried at each flush).</summary>
    public static HistoryRecorder Start(HistoryOptions options, ILogger logger, TimeProvider? time = null) =>
        new(options, logger, time ?? TimeProvider.System);

    /// <summary>Queues the message when a rule wants its topic. Never blocks.</summary>
    public void Record(string topic, ReadOnlyMemory<byte> payload)
    {
        var rules = _rules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (TopicFilter.Matches(rules[i].Topic, topic))
            {
                if (!_queue.Writer.TryWrite(new Message(topic, payload.ToArray(), _time.GetUtcNow().ToUnixTimeMilliseconds())))
                {
                    OnDropped();
                }

                return;
            }
        }
    }

    /// <summary>Takes the rules of a reloaded configuration (the store's path and retention need a restart).</summary>
    public void Update(HistoryOptions? options) => _rules = options?.Rules ?? [];

    /// <summary>Completes when the writer has finished a flush after this call (a test's signal; no sleeping).</summary>
    internal Task NextFlushAsync() => Volatile.Read(ref _progress).Task;

    /// <summary>Writes what is queued, then closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await _maintenanceTimer.DisposeAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _store?.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                if (ReferenceEquals(message, Message.Flush))
                {
                    Flush();
                }
                else if (ReferenceEquals(message, Message.Maintain))
                {
                    Maintain();
                }
                else
                {
                    Extract(message);
                    if (_batch.Count >= _options.BatchSize)
                    {
                        Flush();
                    }
                }
            }
        }

        Flush();
    }

    private void Extract(Message message)
    {
        var found = false;
        var first = _batch.Count;
        foreach (var rule in _rules)
        {
            if (TopicFilter.Matches(rule.Topic, message.Topic))
            {
                found |= ValueExtractor.Extract(rule, message.Topic, message.Payload, message.Timestamp, _batch);
            }
        }

        // A series keeps one point per millisecond: a second message within the same millisecond moves to the next free one, so none is lost.
        for (var i = first; i < _batch.Count; i++)
        {
            var point = _batch[i];
            var key = (point.Topic, point.Field);
            if (_lastTimestamps.TryGetValue(key, out var previous) && point.Timestamp <= previous)
            {
                _batch[i] = point = point with { Timestamp = previous + 1 };
            }

            _lastTimestamps[key] = point.Timestamp;
        }

        if (!found)
        {
            Interlocked.Increment(ref _unreadable);
        }
    }

    private void Flush()
    {
        try
        {
            if (_batch.Count == 0)
            {
                return;
            }

            var store = _store ??= HistoryStore.Open(_options.Path, _options.Retention, _time);
            store.Write(_batch);
            Interlocked.Add(ref _written, _batch.Count);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _writeFailures);
            Interlocked.Add(ref _failedPoints, _batch.Count);
            var now = _time.GetUtcNow();
            if (now - _lastFailureWarning >= WarningInterval)
            {
                _lastFailureWarning = now;
                _logger.LogError("History: writing {Points} points to {Path} failed, they are dropped ({Failures} failed writes so far): {Reason}",
                    _batch.Count, _options.Path, WriteFailures, ex.Message);
            }
        }
        finally
        {
            _batch.Clear();
            Interlocked.Exchange(ref _progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private void Maintain()
    {
        Flush();
        try
        {
            var deleted = _store?.EnforceRetention() ?? 0;
            if (deleted > 0)
            {
                _logger.LogInformation("History: retention removed {Rows} rows", deleted);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException)
        {
            _logger.LogError("History: enforcing retention in {Path} failed: {Reason}", _options.Path, ex.Message);
        }
    }

    private void OnDropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref _droppedSinceWarning);
        var now = _time.GetUtcNow();
        lock (_queue)
        {
            if (now - _lastDropWarning < WarningInterval)
            {
                return;
            }

            _lastDropWarning = now;
        }

        _logger.LogWarning("History: the writer is behind; {Count} messages dropped since the last warning ({Total} in all)",
            Interlocked.Exchange(ref _droppedSinceWarning, 0), Dropped);
    }

    /// <summary>A queued message, or one of the two signals the timers send.</summary>
    private sealed record Message(string Topic, byte[] Payload, long Timestamp)
    {
        public static readonly Message Flush = new("", [], 0);
        public static readonly Message Maintain = new("", [], 0);
    }
}
