using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hub.Plugins.Storage;

/// <summary>
/// Writes each message to Redis with StackExchange.Redis: PUBLISH, LPUSH/RPUSH (optionally trimmed to
/// <c>maxlen</c>), XADD (streams, <c>MAXLEN</c>), HSET, SET (with a TTL). A batch is pipelined in one round
/// trip; consecutive pushes to one list become one variadic LPUSH/RPUSH. One connection per instance,
/// reconnected in the background; a command sent while it is down fails at once (the host retries).
/// </summary>
[Plugin("redis", Description = "Write to Redis: PUBLISH, LPUSH/RPUSH, XADD, HSET, SET")]
public sealed class RedisSink(IPluginContext context, RedisOptions options) : IBatchSink, ITargetBinder, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public int MaxBatchSize => 1000;

    public object BindTarget(string? targetName, object? descriptor) => RedisTarget.From(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        try
        {
            await WriteAsync(items, cancellationToken);
        }
        catch (RedisServerException ex)
        {
            // WRONGTYPE, NOPERM...: the server refused the command as it is; OOM, BUSY and LOADING pass.
            throw ex.Message.StartsWith("OOM", StringComparison.Ordinal) || ex.Message.StartsWith("BUSY", StringComparison.Ordinal) || ex.Message.StartsWith("LOADING", StringComparison.Ordinal)
                ? new TransientDeliveryException($"redis: {ex.Message}", null, ex)
                : new PermanentDeliveryException($"redis: {ex.Message}", null, ex);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            // While the connection is down a command fails at once (FailFast), when it is queued or when it is awaited.
            throw new TransientDeliveryException($"redis: {ex.Message}", null, ex);
        }
    }

    private async Task WriteAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var database = (await ConnectAsync(cancellationToken)).GetDatabase(options.Db);
        var batch = database.CreateBatch();
        var replies = new List<Task>(items.Count);
        var i = 0;
        while (i < items.Count)
        {
            var target = Target(items[i]);
            var key = Format(target.Key, items[i]);
            if (target.Command is RedisCommand.Lpush or RedisCommand.Rpush)
            {
                // The run of items pushed to the same list: one LPUSH/RPUSH with every value.
                var end = i + 1;
                while (end < items.Count && SameTarget(items[end], items[i]) && (!target.Key.Contains('{', StringComparison.Ordinal) || Format(target.Key, items[end]) == key))
                {
                    end++;
                }

                var values = new RedisValue[end - i];
                for (var k = i; k < end; k++)
                {
                    values[k - i] = items[k].MessageBytes.ToArray();
                }

                replies.Add(target.Command == RedisCommand.Lpush ? batch.ListLeftPushAsync(key, values) : batch.ListRightPushAsync(key, values));
                if (target.MaxLen is { } keep)
                {
                    replies.Add(target.Command == RedisCommand.Lpush ? batch.ListTrimAsync(key, 0, keep - 1) : batch.ListTrimAsync(key, -keep, -1));
                }

                AddTtl(batch, replies, key, target);
                i = end;
                continue;
            }

            var item = items[i++];
            RedisValue value = item.MessageBytes.ToArray();
            switch (target.Command)
            {
                case RedisCommand.Publish:
                    replies.Add(batch.PublishAsync(RedisChannel.Literal(key), value));
                    break;
                case RedisCommand.Set:
                    replies.Add(target.Ttl is { } ttl ? batch.StringSetAsync(key, value, new Expiration(ttl)) : batch.StringSetAsync(key, value));
                    break;
                case RedisCommand.Hset:
                    replies.Add(batch.HashSetAsync(key, Format(target.Field, item), value));
                    AddTtl(batch, replies, key, target);
                    break;
                case RedisCommand.Xadd:
                    replies.Add(batch.StreamAddAsync(key, Entries(item, target), maxLength: target.MaxLen, useApproximateMaxLength: target.Approximate));
                    AddTtl(batch, replies, key, target);
                    break;
            }
        }

        batch.Execute();
        await Task.WhenAll(replies).WaitAsync(options.Timeout, context.TimeProvider, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync(allowCommandsToComplete: true);
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private static void AddTtl(IBatch batch, List<Task> replies, string key, RedisTarget target)
    {
        if (target.Ttl is { } ttl && target.Command is not RedisCommand.Set)
        {
            replies.Add(batch.KeyExpireAsync(key, ttl));
        }
    }

    private static NameValueEntry[] Entries(DeliveryItem item, RedisTarget target)
    {
        if (target.Fields is not { } fields)
        {
            return [new NameValueEntry("message", item.MessageBytes.ToArray())];
        }

        var entries = fields.Where(item.Data.ContainsKey).Select(f => new NameValueEntry(f, OptionValues.ToText(item.Data[f]) ?? "")).ToArray();
        return entries.Length > 0 ? entries : throw new PermanentDeliveryException($"redis: the data has none of the stream fields {string.Join(", ", fields)}");
    }

    /// <summary>The target bound when the graph was built (parsed here only for an item the host did not make).</summary>
    private static RedisTarget Target(DeliveryItem item) => Descriptor.Bound(item, RedisTarget.From, "redis");

    /// <summary>Both items go to the same target: the one bound object (or, for items the host did not make, one descriptor).</summary>
    private static bool SameTarget(DeliveryItem a, DeliveryItem b) => ReferenceEquals(a.Bound ?? a.Addrs, b.Bound ?? b.Addrs);

    private string Format(string template, DeliveryItem item)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        try
        {
            return context.Formatter.Format(template, item.Data);
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"redis: cannot format '{template}': {ex.Message}", null, ex);
        }
    }

    private async ValueTask<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var configuration = new ConfigurationOptions
                {
                    EndPoints = { { options.Host, options.Port } },
                    User = options.Username,
                    Password = options.Password,
                    DefaultDatabase = options.Db,
                    Ssl = options.Ssl,
                    AbortOnConnectFail = false,
                    BacklogPolicy = BacklogPolicy.FailFast,
                    ConnectTimeout = (int)options.Timeout.TotalMilliseconds,
                    AsyncTimeout = (int)options.Timeout.TotalMilliseconds,
                    SyncTimeout = (int)options.Timeout.TotalMilliseconds,
                    ClientName = "hub-" + context.ServiceName,
                };
                _connection = await ConnectionMultiplexer.ConnectAsync(configuration);
                context.Logger.LogDebug("redis: connected to {Host}:{Port} ({State})", options.Host, options.Port, _connection.IsConnected ? "up" : "reconnecting");
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
