using System.Text;
using System.Text.Json.Nodes;
using Hub.Formatting;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// A delivery item as JSON, for what outlives the process (the journal, dead letters): the rendered
/// message, title, priority, image, the payload (base64) and the transformation data. The descriptor and
/// service options are not stored: they are taken from the configuration when the item is delivered again.
/// </summary>
public static class ItemJson
{
    public static JsonObject ToJson(DeliveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonObject
        {
            ["service"] = item.Service,
            ["target"] = item.Target,
            ["section"] = item.Section,
            ["topic"] = item.Topic,
            ["title"] = item.Title,
            ["priority"] = item.Priority,
            ["image"] = item.Image,
            ["message"] = item.Message,
            ["is_binary"] = item.IsBinary,
            ["payload"] = Convert.ToBase64String(item.Payload.Span),
            ["message_bytes"] = item.IsBinary ? Convert.ToBase64String(item.MessageBytes.Span) : null,
            ["data"] = DataJson(item.Data),
        };
    }

    /// <summary>The item back; <c>Addrs</c> and <c>Config</c> are empty until <see cref="Bind"/>.</summary>
    public static DeliveryItem FromJson(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string Text(string key) => root[key]?.GetValue<string>() ?? "";
        var message = Text("message");
        var isBinary = root["is_binary"]?.GetValue<bool>() ?? false;
        return new DeliveryItem
        {
            Service = Text("service"),
            Target = root["target"]?.GetValue<string>(),
            Section = Text("section"),
            Topic = Text("topic"),
            Title = Text("title"),
            Priority = root["priority"]?.GetValue<int>() ?? 0,
            Image = Text("image"),
            Message = message,
            IsBinary = isBinary,
            Payload = Convert.FromBase64String(Text("payload")),
            MessageBytes = isBinary ? Convert.FromBase64String(Text("message_bytes")) : Encoding.UTF8.GetBytes(message),
            Data = JsonData.TryParseObject(Encoding.UTF8.GetBytes(root["data"]?.ToJsonString() ?? "{}")) ?? new Dictionary<string, object?>(),
        };
    }

    /// <summary>The item with the descriptor, bound target (<see cref="DeliveryItem.Bound"/>) and options of the target as configured now.</summary>
    public static DeliveryItem Bind(DeliveryItem item, Config.ServiceConfig service, Config.ServiceTarget target, object? bound = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(target);
        return Addressed(item, service.Name, target.Name, target.Descriptor, bound, service.Options);
    }

    /// <summary>The rendered item (message, title, data, payload) addressed to another service and target.</summary>
    public static DeliveryItem Addressed(
        DeliveryItem item, string service, string? target, object? descriptor, object? bound, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new DeliveryItem
        {
            Service = service,
            Section = item.Section,
            Target = target,
            Addrs = descriptor,
            Bound = bound,
            Config = config,
            Topic = item.Topic,
            Payload = item.Payload,
            Data = item.Data,
            Message = item.Message,
            MessageBytes = item.MessageBytes,
            IsBinary = item.IsBinary,
            Title = item.Title,
            Image = item.Image,
            Priority = item.Priority,
        };
    }

    /// <summary>The data as JSON; a value JSON cannot hold (bytes a function added) is left out, the rest is kept.</summary>
    private static JsonObject DataJson(IReadOnlyDictionary<string, object?> data)
    {
        var json = new JsonObject();
        foreach (var (key, value) in data)
        {
            try
            {
                json[key] = JsonNode.Parse(PyValue.Json(value));
            }
            catch (FormatException)
            {
                // not JSON-representable: skipped
            }
        }

        return json;
    }
}
