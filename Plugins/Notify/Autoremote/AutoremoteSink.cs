using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to a device's Tasker through AutoRemote: <c>GET {api_url}/sendmessage</c> with
/// <c>key, message, target, sender, password, ttl, collapseKey</c> in the query (mqttwarn's request).
/// </summary>
[Plugin("autoremote", Description = "Send messages to Tasker on Android through AutoRemote")]
public sealed class AutoremoteSink(IPluginContext context, AutoremoteOptions options) : ISink, ITargetBinder
{
    private const string Operation = "autoremote sendmessage";

    public object BindTarget(string? targetName, object? descriptor) => Parameters(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        string?[] values;
        try
        {
            values = Descriptor.Bound(item, d => Parameters(d), "autoremote");
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"autoremote: {ex.Message}");
        }

        var (key, password, target, group, ttl) = (values[0], values[1], values[2], values[3], values[4]);
        var query = new (string Name, string? Value)[]
        {
            ("key", key), ("message", item.Message), ("target", target), ("sender", item.Topic), ("password", password), ("ttl", ttl), ("collapseKey", group),
        };
        var url = $"{options.ApiUrl.TrimEnd('/')}/sendmessage?" + string.Join('&', query.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        await HttpDelivery.EnsureSuccessAsync(response, Operation, context.TimeProvider, cancellationToken);
        context.Logger.LogDebug("autoremote: sent for target {Target}", item.Target);
    }

    /// <summary>mqttwarn's <c>[apikey, password, target, group, ttl]</c>; everything after the key may be left out or None.</summary>
    private static string?[] Parameters(object? descriptor)
    {
        if (descriptor is not IReadOnlyList<object?> { Count: >= 1 and <= 5 } items || items.Any(i => i is not (null or string or long)))
        {
            throw new FormatException("the target must be [apikey, password?, target?, group?, ttl?]");
        }

        var values = Enumerable.Range(0, 5).Select(i => OptionValues.ToText(items.ElementAtOrDefault(i)) is { Length: > 0 } text ? text : null).ToArray();
        return values[0] is null ? throw new FormatException("the target has no AutoRemote key") : values;
    }
}
