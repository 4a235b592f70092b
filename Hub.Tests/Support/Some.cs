using System.Text;
using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Builders of test values.</summary>
public static class Some
{
    public static DeliveryItem Item(string message = "hello", object? addrs = null, IReadOnlyDictionary<string, object?>? config = null,
        string topic = "t/1", IReadOnlyDictionary<string, object?>? data = null, string? target = "t") => new()
    {
        Service = "svc",
        Section = topic,
        Target = target,
        Addrs = addrs,
        Config = config ?? new Dictionary<string, object?>(),
        Topic = topic,
        Payload = Encoding.UTF8.GetBytes(message),
        Data = data ?? new Dictionary<string, object?> { ["topic"] = topic, ["payload"] = message },
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };

    public static List<object?> List(params object?[] items) => [.. items];

    public static OrderedDictionary<string, object?> Dict(params (string Key, object? Value)[] entries)
    {
        var dict = new OrderedDictionary<string, object?>();
        foreach (var (key, value) in entries)
        {
            dict[key] = value;
        }

        return dict;
    }
}
