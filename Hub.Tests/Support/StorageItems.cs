using System.Globalization;
using System.Text;
using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Delivery items as the hub hands them to a storage sink: the transformation data with the arrival time (<c>_dtiso</c>, <c>_dtepoch</c>) and any JSON fields.</summary>
public static class StorageItems
{
    public static DeliveryItem Item(string message, object? addrs, DateTimeOffset arrived, string topic = "home/boiler", params (string Key, object? Value)[] fields)
    {
        var data = new Dictionary<string, object?>
        {
            ["topic"] = topic,
            ["payload"] = message,
            ["_dtepoch"] = arrived.ToUnixTimeSeconds(),
            ["_dtiso"] = arrived.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in fields)
        {
            data[key] = value;
        }

        return new DeliveryItem
        {
            Service = "svc",
            Section = topic,
            Target = "t",
            Addrs = addrs,
            Topic = topic,
            Payload = Encoding.UTF8.GetBytes(message),
            Data = data,
            Message = message,
            MessageBytes = Encoding.UTF8.GetBytes(message),
        };
    }

    /// <summary>A moment with whole microseconds (what <c>_dtiso</c> carries), <paramref name="secondsAgo"/> before now.</summary>
    public static DateTimeOffset Recent(double secondsAgo = 0)
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-secondsAgo);
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
    }
}
