using System.Net.Http.Headers;
using System.Text;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Storage;

/// <summary>
/// Writes points to InfluxDB in line protocol: <c>POST /write</c> (v1, mqttwarn's <c>influxdb</c>) or
/// <c>POST /api/v2/write</c> (v2). A batch is one request per database, retention policy and precision.
/// Every point carries the time its message arrived, so a batch written again overwrites the same
/// points instead of adding new ones (InfluxDB keeps one value per series and time).
/// </summary>
[Plugin("influxdb", Description = "Write points to InfluxDB (line protocol, v1 /write or v2 API)")]
public sealed class InfluxSink(IPluginContext context, InfluxOptions options) : IBatchSink, ITargetBinder
{
    /// <summary>InfluxData's advice: about 5,000 lines per request.</summary>
    public int MaxBatchSize => 5000;

    public object BindTarget(string? targetName, object? descriptor) => InfluxTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Target(item);
        var line = new StringBuilder();
        try
        {
            Point(line, item, target);
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"influxdb: {ex.Message}", null, ex);
        }

        await WriteAsync(target, line, 1, cancellationToken);
    }

    /// <summary>
    /// One request per destination with every point of the batch. A message that makes no point (no field
    /// in its data, a measurement template naming a missing key) is logged and left out; the rest is written.
    /// </summary>
    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var bodies = new Dictionary<(string?, string, string, string?), (InfluxTarget Target, StringBuilder Lines, int Count)>();
        foreach (var item in items)
        {
            var target = Target(item);
            var key = (target.Database, target.Rp, target.Precision, target.Org);
            if (!bodies.TryGetValue(key, out var body))
            {
                body = (target, new StringBuilder(items.Count * 64), 0);
            }

            var mark = body.Lines.Length;
            try
            {
                if (body.Count > 0)
                {
                    body.Lines.Append('\n');
                }

                Point(body.Lines, item, target);
                body.Count++;
            }
            catch (FormatException ex)
            {
                body.Lines.Length = mark;
                context.Logger.LogWarning("influxdb: message on {Topic} left out of the batch: {Reason}", item.Topic, ex.Message);
            }

            bodies[key] = body;
        }

        foreach (var (target, lines, count) in bodies.Values.Where(b => b.Count > 0))
        {
            await WriteAsync(target, lines, count, cancellationToken);
        }
    }

    /// <summary>The target bound when the graph was built (parsed here only for an item the host did not make).</summary>
    private InfluxTarget Target(DeliveryItem item) => Descriptor.Bound(item, d => InfluxTarget.From(options, d), "influxdb");

    private void Point(StringBuilder line, DeliveryItem item, InfluxTarget target)
    {
        var measurement = target.Measurement.Contains('{', StringComparison.Ordinal) ? context.Formatter.Format(target.Measurement, item.Data) : target.Measurement;
        LineProtocol.Measurement(line, measurement);
        if (target.TopicTag)
        {
            line.Append(",topic=");
            LineProtocol.Key(line, item.Topic.Replace('/', '_'));
        }

        if (target.FromData)
        {
            DataPoint(line, item, target);
            Timestamp(line, item, target);
            return;
        }

        // mqttwarn's three shapes: a lone value becomes value=...; "f1=1,f2=2" is the field set; "tags fields [time]"
        // follows the topic tag. A message without '=' is always a lone value (mqttwarn wrote such a payload unquoted,
        // which InfluxDB refused when it was not a number).
        var message = item.Message;
        if (message.Length == 0)
        {
            throw new FormatException("the message is empty");
        }

        if (!message.Contains('=', StringComparison.Ordinal))
        {
            line.Append(" value=");
            LineProtocol.FieldValue(line, Scalar(message));
            Timestamp(line, item, target);
        }
        else if (LineProtocol.Sections(message) == 1)
        {
            line.Append(' ').Append(message);
            Timestamp(line, item, target);
        }
        else
        {
            line.Append(',').Append(message);
            if (LineProtocol.Sections(message) < 3)
            {
                Timestamp(line, item, target);
            }
        }
    }

    private static void DataPoint(StringBuilder line, DeliveryItem item, InfluxTarget target)
    {
        foreach (var tag in target.Tags)
        {
            if (item.Data.TryGetValue(tag, out var raw) && OptionValues.ToText(raw) is { Length: > 0 } value)
            {
                line.Append(',');
                LineProtocol.Key(line, tag);
                line.Append('=');
                LineProtocol.Key(line, value);
            }
        }

        var separator = ' ';
        IEnumerable<string> names = target.AllNumbers
            ? item.Data.Where(kv => !kv.Key.StartsWith('_') && kv.Key is not ("topic" or "payload") && !target.Tags.Contains(kv.Key) && kv.Value is not (string or bool)
                && DataValues.TryGetNumber(kv.Value, out _)).Select(kv => kv.Key)
            : target.Fields!;
        foreach (var name in names)
        {
            if (!item.Data.TryGetValue(name, out var value))
            {
                continue;
            }

            var mark = line.Length;
            line.Append(separator);
            LineProtocol.Key(line, name);
            line.Append('=');
            if (LineProtocol.FieldValue(line, value))
            {
                separator = ',';
            }
            else
            {
                line.Length = mark;
            }
        }

        if (separator == ' ')
        {
            throw new FormatException($"no field: the data has none of {(target.AllNumbers ? "its keys as a number" : string.Join(", ", target.Fields!))}");
        }
    }

    private void Timestamp(StringBuilder line, DeliveryItem item, InfluxTarget target)
    {
        line.Append(' ');
        if (target.TimeKey is { } key)
        {
            if (!item.Data.TryGetNumber(key, out var given))
            {
                throw new FormatException($"the data's '{key}' is not a number (the point's time)");
            }

            line.Append((long)Math.Round(given));
            return;
        }

        line.Append(ItemTime.UnixNanoseconds(ItemTime.Of(item, context.TimeProvider)) / LineProtocol.NanosecondsPer(target.Precision));
    }

    /// <summary>A lone message value: a number, true/false, else text.</summary>
    private static object Scalar(string message) =>
        DataValues.TryGetNumber(message, out var number) ? number
        : bool.TryParse(message, out var flag) ? flag
        : message;

    private async Task WriteAsync(InfluxTarget target, StringBuilder lines, int count, CancellationToken cancellationToken)
    {
        var precision = LineProtocol.QueryName(target.Precision, options.IsV2);
        var query = options.IsV2
            ? $"api/v2/write?org={Uri.EscapeDataString(target.Org ?? "")}&bucket={Uri.EscapeDataString(target.Database!)}&precision={precision}"
            : $"write?db={Uri.EscapeDataString(target.Database!)}&rp={Uri.EscapeDataString(target.Rp)}&precision={precision}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, query))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(lines.ToString())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        if (options.IsV2)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (options.Username is { Length: > 0 } user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{options.Password}")));
        }

        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, "influxdb write", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, "influxdb write", context.TimeProvider, body => ChatHttp.Text(body, "error") ?? ChatHttp.Text(body, "message"), cancellationToken);
        }

        context.Logger.LogDebug("influxdb: wrote {Count} points to {Database}", count, target.Database);
    }
}
