using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Hub.Plugins.Notify;

/// <summary>
/// Zabbix's sender protocol (what <c>zabbix_sender</c> speaks to a server or proxy on port 10051):
/// <c>ZBXD\x01</c>, the data length as 8 bytes little-endian, then JSON
/// <c>{"request": "sender data", "data": [{host, key, value, clock}]}</c>; the reply has the same
/// header and <c>{"response": "success", "info": "processed: 1; failed: 0; …"}</c>.
/// </summary>
public static partial class ZabbixTrapper
{
    private const int MaxReply = 1 << 20;
    private static readonly byte[] Magic = "ZBXD\x01"u8.ToArray();

    /// <summary>One request: header and JSON.</summary>
    public static byte[] Frame(JsonNode request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = Encoding.UTF8.GetBytes(request.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var frame = new byte[Magic.Length + 8 + json.Length];
        Magic.CopyTo(frame, 0);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(Magic.Length), json.Length);
        json.CopyTo(frame, Magic.Length + 8);
        return frame;
    }

    /// <summary>A <c>sender data</c> request with one value.</summary>
    public static JsonObject SenderData(string host, string key, string value, long clock) => new()
    {
        ["request"] = "sender data",
        ["data"] = new JsonArray(new JsonObject { ["host"] = host, ["key"] = key, ["value"] = value, ["clock"] = clock }),
    };

    /// <summary>Sends one request on a new connection and returns the reply's <c>info</c> (check it with <see cref="Failed"/>).</summary>
    /// <exception cref="PermanentDeliveryException">The peer does not speak the protocol, or answered other than <c>success</c>.</exception>
    public static async Task<string> SendAsync(string host, int port, JsonNode request, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, cancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Frame(request), cancellationToken);

        var header = new byte[Magic.Length + 8];
        await stream.ReadExactlyAsync(header, cancellationToken);
        if (!header.AsSpan(0, 4).SequenceEqual("ZBXD"u8))
        {
            throw new PermanentDeliveryException("zabbix: the peer did not answer with the Zabbix protocol (is it a trapper port?)");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(Magic.Length));
        if (length is < 0 or > MaxReply)
        {
            throw new PermanentDeliveryException($"zabbix: the reply announces {length} bytes");
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        string? response, info;
        try
        {
            using var reply = JsonDocument.Parse(body);
            response = reply.RootElement.TryGetProperty("response", out var r) ? r.GetString() : null;
            info = reply.RootElement.TryGetProperty("info", out var i) ? i.GetString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new PermanentDeliveryException("zabbix: the reply is not JSON");
        }

        if (response != "success")
        {
            throw new PermanentDeliveryException($"zabbix: the trapper answered '{response}'" + (info is null ? "" : $": {info}"));
        }

        return info ?? "";
    }

    /// <summary>The <c>failed: N</c> count of a reply's info, or null when it has none.</summary>
    public static int? Failed(string? info) => info is not null && FailedCount().Match(info) is { Success: true } match ? int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"failed:\s*(\d+)")]
    private static partial Regex FailedCount();
}
