using System.Text.Json.Nodes;
using Hub.Mqtt;
using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>The JSON shape of persisted sessions and messages (payloads and correlation data in base64).</summary>
internal static class BrokerJson
{
    public static JsonObject WriteMessage(BrokerMessage message)
    {
        var json = new JsonObject
        {
            ["topic"] = message.Topic,
            ["payload"] = Convert.ToBase64String(message.Payload.Span),
            ["qos"] = message.Qos,
            ["retain"] = message.Retain,
        };
        if (message.PublisherId is not null)
        {
            json["publisher"] = message.PublisherId;
        }

        if (message.ExpiresAt is { } at)
        {
            json["expires"] = at.ToUnixTimeMilliseconds();
        }

        var p = message.Properties;
        if (p.PayloadFormatIndicator is { } format)
        {
            json["payloadFormat"] = format;
        }

        if (p.ContentType is not null)
        {
            json["contentType"] = p.ContentType;
        }

        if (p.ResponseTopic is not null)
        {
            json["responseTopic"] = p.ResponseTopic;
        }

        if (p.CorrelationData is { } correlation)
        {
            json["correlationData"] = Convert.ToBase64String(correlation.Span);
        }

        if (p.UserProperties.Count > 0)
        {
            json["userProperties"] = new JsonArray([.. p.UserProperties.Select(u => (JsonNode)new JsonArray(u.Name, u.Value))]);
        }

        return json;
    }

    public static BrokerMessage ReadMessage(JsonObject json)
    {
        var properties = new MqttProperties
        {
            PayloadFormatIndicator = (byte?)json["payloadFormat"]?.GetValue<int>(),
            ContentType = json["contentType"]?.GetValue<string>(),
            ResponseTopic = json["responseTopic"]?.GetValue<string>(),
            CorrelationData = json["correlationData"] is { } c ? Convert.FromBase64String(c.GetValue<string>()) : null,
            UserProperties = json["userProperties"] is JsonArray users
                ? [.. users.Select(u => new MqttUserProperty(u![0]!.GetValue<string>(), u[1]!.GetValue<string>()))]
                : [],
        };
        return new BrokerMessage(
            json["topic"]!.GetValue<string>(),
            Convert.FromBase64String(json["payload"]!.GetValue<string>()),
            json["qos"]!.GetValue<int>(),
            json["retain"]!.GetValue<bool>(),
            properties.IsEmpty ? MqttProperties.None : properties,
            json["publisher"]?.GetValue<string>(),
            json["expires"] is { } expires ? DateTimeOffset.FromUnixTimeMilliseconds(expires.GetValue<long>()) : null);
    }

    public static JsonObject WriteSession(BrokerSession session)
    {
        lock (session.Gate)
        {
            session.Dirty = false;
            return new JsonObject
            {
                ["clientId"] = session.ClientId,
                ["username"] = session.Username,
                ["expiry"] = session.ExpiryInterval,
                ["subscriptions"] = new JsonArray([.. session.Subscriptions.Values.Select(s => (JsonNode)new JsonObject
                {
                    ["filter"] = s.Filter,
                    ["group"] = s.ShareGroup,
                    ["qos"] = s.Options.Qos,
                    ["noLocal"] = s.Options.NoLocal,
                    ["retainAsPublished"] = s.Options.RetainAsPublished,
                    ["retainHandling"] = s.Options.RetainHandling,
                    ["id"] = s.SubscriptionId,
                })]),
                ["incomingQos2"] = new JsonArray([.. session.IncomingQos2.Select(id => (JsonNode)id)]),
                ["inflight"] = new JsonArray([.. session.Inflight.Select(WriteOutgoing)]),
                ["queued"] = new JsonArray([.. session.Pending.Select(WriteOutgoing)]),
            };
        }
    }

    public static BrokerSession ReadSession(JsonObject json, BrokerOptions limits)
    {
        var session = new BrokerSession(json["clientId"]!.GetValue<string>(), limits)
        {
            Username = json["username"]?.GetValue<string>(),
            ExpiryInterval = json["expiry"]!.GetValue<uint>(),
            Dirty = false,
        };
        foreach (var node in json["subscriptions"]!.AsArray())
        {
            var s = node!.AsObject();
            var options = new MqttSubscription(s["filter"]!.GetValue<string>(), s["qos"]!.GetValue<int>())
            {
                NoLocal = s["noLocal"]!.GetValue<bool>(),
                RetainAsPublished = s["retainAsPublished"]!.GetValue<bool>(),
                RetainHandling = s["retainHandling"]!.GetValue<int>(),
            };
            var subscription = new BrokerSubscription(session, options.Filter, s["group"]?.GetValue<string>(), options, s["id"]?.GetValue<int>());
            session.Subscriptions[subscription.FullFilter] = subscription;
        }

        foreach (var id in json["incomingQos2"]!.AsArray())
        {
            session.IncomingQos2.Add(id!.GetValue<ushort>());
        }

        foreach (var node in json["inflight"]!.AsArray())
        {
            session.Restore(ReadOutgoing(node!.AsObject()), inflight: true);
        }

        foreach (var node in json["queued"]!.AsArray())
        {
            session.Restore(ReadOutgoing(node!.AsObject()), inflight: false);
        }

        return session;
    }

    private static JsonNode WriteOutgoing(OutgoingMessage outgoing) => new JsonObject
    {
        ["message"] = WriteMessage(outgoing.Message),
        ["qos"] = outgoing.Qos,
        ["retain"] = outgoing.Retain,
        ["subscriptionIds"] = new JsonArray([.. outgoing.SubscriptionIds.Select(i => (JsonNode)i)]),
        ["share"] = outgoing.ShareKey,
        ["packetId"] = outgoing.PacketId,
        ["released"] = outgoing.Released,
    };

    private static OutgoingMessage ReadOutgoing(JsonObject json) =>
        new(ReadMessage(json["message"]!.AsObject()),
            json["qos"]!.GetValue<int>(),
            json["retain"]!.GetValue<bool>(),
            [.. json["subscriptionIds"]!.AsArray().Select(i => i!.GetValue<int>())],
            json["share"]?.GetValue<string>())
        {
            PacketId = json["packetId"]!.GetValue<ushort>(),
            Released = json["released"]!.GetValue<bool>(),
        };
}
