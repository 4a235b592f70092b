using System.Net.Sockets;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>zabbix</c>: sends the message as the value of item <c>key</c> on host <c>client</c>
/// (both from the data) to a Zabbix trapper; with a <c>status_key</c> in the data, first registers
/// the client by low-level discovery on the service's host, then sends the status.
/// </summary>
[Plugin("zabbix", Description = "Send values to a Zabbix server or proxy (trapper items, low-level discovery of clients)")]
public sealed class ZabbixSink(IPluginContext context, ZabbixOptions options) : ISink, ITargetBinder
{
    private const string Shape = "the target must be [trapper_host, port] or [trapper_host, port, client, key], e.g. ['zabbix.lan', 10051]";

    public object BindTarget(string? targetName, object? descriptor) => Parse(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var (trapper, port, defaultClient, defaultKey) = Descriptor.Bound(item, d => Parse(d) ?? throw new FormatException(Shape), "zabbix");
        var client = Text(item.Data, "client") ?? defaultClient ?? throw new PermanentDeliveryException("zabbix: the data has no 'client' (the Zabbix host of the value)");
        var clock = context.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            if (Text(item.Data, "status_key") is { } statusKey)
            {
                // Low-level discovery: {"data": [{"{#MQTTHOST}": client}]} on the discovery rule, then the status.
                var discovery = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["{#MQTTHOST}"] = client }) }.ToJsonString();
                await SendValueAsync(trapper, port, options.Host, options.DiscoveryKey, discovery, clock, "discovery", cancellationToken);

                // mqttwarn sleeps 3 s here so that Zabbix can create the discovered item; the hub
                // sends at once and lets the host retry a status the server could not take yet.
                await SendValueAsync(trapper, port, client, statusKey, item.Message, clock, "status", cancellationToken, failedIsTransient: true);
                return;
            }

            var key = Text(item.Data, "key") ?? defaultKey ?? throw new PermanentDeliveryException("zabbix: the data has no 'key' (the Zabbix item key of the value)");
            await SendValueAsync(trapper, port, client, key, item.Message, clock, "value", cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new TransientDeliveryException($"zabbix: sending to the trapper failed: {ex.SocketErrorCode}");
        }
        catch (IOException ex)
        {
            throw new TransientDeliveryException($"zabbix: sending to the trapper failed: {ex.Message}");
        }
    }

    private async Task SendValueAsync(string trapper, int port, string host, string key, string value, long clock, string what, CancellationToken cancellationToken, bool failedIsTransient = false)
    {
        var info = await ZabbixTrapper.SendAsync(trapper, port, ZabbixTrapper.SenderData(host, key, value, clock), cancellationToken);
        if (ZabbixTrapper.Failed(info) is > 0)
        {
            var reason = $"zabbix: the trapper did not accept the {what} for host '{host}', key '{key}': {info}";
            throw failedIsTransient ? new TransientDeliveryException(reason + " (the discovered item may not exist yet)") : new PermanentDeliveryException(reason);
        }

        context.Logger.LogDebug("zabbix: {What} for host {Host}, key {Key}: {Info}", what, host, key, info);
    }

    private static string? Text(IReadOnlyDictionary<string, object?> data, string key) =>
        OptionValues.ToText(data.GetValueOrDefault(key)) is { Length: > 0 } text ? text : null;

    /// <summary>mqttwarn's <c>[trapper_host, port]</c>; the hub also takes a default client and key for values whose data has none.</summary>
    private static (string Host, int Port, string? Client, string? Key)? Parse(object? descriptor)
    {
        if (descriptor is not IReadOnlyList<object?> { Count: 2 or 4 } list || list[0] is not string { Length: > 0 } host
            || (list.Count == 4 && (list[2] is not string { Length: > 0 } || list[3] is not string { Length: > 0 })))
        {
            return null;
        }

        try
        {
            var port = OptionValues.ToInt(list[1], "port");
            return port is >= 1 and <= 65535 ? (host, port, list.ElementAtOrDefault(2) as string, list.ElementAtOrDefault(3) as string) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
