using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;
using Razorvine.Pickle;

namespace Hub.Plugins.Storage;

/// <summary>
/// Sends metrics to Graphite's carbon, mqttwarn's <c>carbon</c>: the message is <c>value</c> (metric = the
/// topic with dots), <c>metric value</c> or <c>metric value time</c>. Plaintext (a line each) or pickle
/// (lists of <c>(metric, (time, value))</c>, length-prefixed). A batch is one connection: written, closed
/// for sending, and counted as delivered when carbon closes its side, i.e. when it has read every byte.
/// </summary>
[Plugin("carbon", Description = "Send metrics to Graphite carbon (plaintext or pickle)")]
public sealed class CarbonSink(IPluginContext context, CarbonOptions options) : IBatchSink, ITargetBinder
{
    /// <summary>Metrics per pickle frame: carbon refuses frames above 1 MiB (MAX_LENGTH).</summary>
    private const int PickleChunk = 500;

    public int MaxBatchSize => 5000;

    public object BindTarget(string? targetName, object? descriptor) => CarbonTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Target(item);
        Metric metric;
        try
        {
            metric = Parse(item, target);
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"carbon: {ex.Message}", null, ex);
        }

        await WriteAsync(target, [metric], cancellationToken);
    }

    /// <summary>One connection per carbon server in the batch; a message that is no metric is logged and left out.</summary>
    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var byServer = new Dictionary<CarbonTarget, List<Metric>>();
        foreach (var item in items)
        {
            var target = Target(item);
            try
            {
                var metric = Parse(item, target);
                if (!byServer.TryGetValue(target, out var metrics))
                {
                    byServer[target] = metrics = new List<Metric>(items.Count);
                }

                metrics.Add(metric);
            }
            catch (FormatException ex)
            {
                context.Logger.LogWarning("carbon: message on {Topic} left out of the batch: {Reason}", item.Topic, ex.Message);
            }
        }

        foreach (var (target, metrics) in byServer)
        {
            await WriteAsync(target, metrics, cancellationToken);
        }
    }

    /// <summary>The target bound when the graph was built (parsed here only for an item the host did not make).</summary>
    private CarbonTarget Target(DeliveryItem item) => Descriptor.Bound(item, d => CarbonTarget.From(options, d), "carbon");

    private Metric Parse(DeliveryItem item, CarbonTarget target)
    {
        var parts = item.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var (name, value, time) = parts switch
        {
            [var v] => (item.Topic.Replace('/', '.'), v, (string?)null),
            [var n, var v] => (n, v, null),
            [var n, var v, var t] => (n, v, t),
            _ => throw new FormatException($"the message must be 'value', 'metric value' or 'metric value time', not '{Short(item.Message)}'"),
        };
        if (!DataValues.TryGetNumber(value, out var number))
        {
            throw new FormatException($"'{Short(value)}' is not a number");
        }

        long seconds;
        if (time is null)
        {
            seconds = ItemTime.Of(item, context.TimeProvider).ToUnixTimeSeconds();
        }
        else if (!long.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds))
        {
            throw new FormatException($"the time '{Short(time)}' is not a whole number of seconds");
        }

        // mqttwarn drops the dot a leading slash in the topic leaves.
        return new Metric(target.Prefix + (name.StartsWith('.') ? name[1..] : name), number, seconds);
    }

    private async Task WriteAsync(CarbonTarget target, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        if (metrics.Count == 0)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var client = new TcpClient { NoDelay = false };
        try
        {
            await client.ConnectAsync(target.Host, target.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(target.Pickle ? Pickled(metrics) : Plaintext(metrics), timeout.Token);

            // Carbon sends nothing back: closing our side and waiting for it to close its side is the only sign that
            // it read everything. A connection that ends otherwise leaves the batch undelivered, and the host retries it.
            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[64];
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDeliveryException($"carbon: {target.Host}:{target.Port} did not take {metrics.Count} metrics within {options.Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new TransientDeliveryException($"carbon: {target.Host}:{target.Port}: {ex.Message}", null, ex);
        }

        context.Logger.LogDebug("carbon: sent {Count} metrics to {Host}:{Port}", metrics.Count, target.Host, target.Port);
    }

    private static byte[] Plaintext(IReadOnlyList<Metric> metrics)
    {
        var text = new StringBuilder(metrics.Count * 48);
        foreach (var metric in metrics)
        {
            text.Append(metric.Name).Append(' ').Append(metric.Value.ToString("R", CultureInfo.InvariantCulture)).Append(' ').Append(metric.Seconds).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Pickled(IReadOnlyList<Metric> metrics)
    {
        using var frames = new MemoryStream();
        using var pickler = new Pickler(useMemo: false);
        for (var start = 0; start < metrics.Count; start += PickleChunk)
        {
            // [(name, (time, value)), ...]: object[] pickles as a tuple, a list as a list.
            var chunk = new List<object>(Math.Min(PickleChunk, metrics.Count - start));
            for (var i = start; i < Math.Min(start + PickleChunk, metrics.Count); i++)
            {
                chunk.Add(new object[] { metrics[i].Name, new object[] { metrics[i].Seconds, metrics[i].Value } });
            }

            var payload = pickler.dumps(chunk);
            var header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)payload.Length);
            frames.Write(header);
            frames.Write(payload);
        }

        return frames.ToArray();
    }

    private static string Short(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private readonly record struct Metric(string Name, double Value, long Seconds);
}
