using System.Net;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Delivery items and addresses for the push-notifier plugin tests (pushover, ntfy, gotify, …).</summary>
public static class PushItems
{
    public static DeliveryItem Item(string service, string message, object? descriptor, string title = "", int priority = 0,
        IReadOnlyDictionary<string, object?>? data = null, byte[]? payload = null, string topic = "t/1") => new()
    {
        Service = service,
        Section = topic,
        Target = "t",
        Addrs = descriptor,
        Topic = topic,
        Payload = payload ?? Encoding.UTF8.GetBytes(message),
        Data = data ?? new Dictionary<string, object?>(),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
        Priority = priority,
    };

    /// <summary>A tiny valid PNG (1×1).</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public static Dictionary<string, object?> Options(params (string Key, object? Value)[] options) => options.ToDictionary(o => o.Key, o => o.Value);
}
