using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V311;

/// <summary>Reads 3.1/3.1.1 packet bodies; the fixed-header flags were already checked by the framing layer.</summary>
internal static class V311Decoder
{
    public static MqttPacket Decode(byte header, ReadOnlySpan<byte> body, int level)
    {
        MqttFrameReader.ValidateFlags(header);
        var type = (MqttPacketType)(header >> 4);
        var reader = new MqttSpanReader(body, MqttPacketNames.Upper(type));
        MqttPacket packet = type switch
        {
            MqttPacketType.Publish => DecodePublish(header, ref reader),
            MqttPacketType.PubAck => new PubAckPacket(ReadId(ref reader)),
            MqttPacketType.PubRec => new PubRecPacket(ReadId(ref reader)),
            MqttPacketType.PubRel => new PubRelPacket(ReadId(ref reader)),
            MqttPacketType.PubComp => new PubCompPacket(ReadId(ref reader)),
            MqttPacketType.UnsubAck => new UnsubAckPacket(ReadId(ref reader)),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => DisconnectPacket.Instance,
            MqttPacketType.ConnAck => DecodeConnAck(ref reader, level),
            MqttPacketType.SubAck => DecodeSubAck(ref reader),
            MqttPacketType.Connect => DecodeConnect(ref reader),
            MqttPacketType.Subscribe => DecodeSubscribe(ref reader),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref reader),
            _ => throw new MqttProtocolException($"Malformed packet: type {type} does not exist in MQTT 3.1.1."),
        };
        reader.ExpectEnd();
        return packet;
    }

    private static ushort ReadId(ref MqttSpanReader reader)
    {
        var id = reader.ReadUInt16();
        return id != 0 ? id : throw new MqttProtocolException("Malformed packet: packet id 0.");
    }

    private static PublishPacket DecodePublish(byte header, ref MqttSpanReader reader)
    {
        var qos = (header >> 1) & 0x03;
        var topic = reader.ReadString("topic");
        if (topic.Length == 0 || topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new MqttProtocolException($"Malformed PUBLISH: invalid topic name '{topic}'.");
        }

        var id = qos > 0 ? ReadId(ref reader) : (ushort)0;
        var payload = reader.ReadBytes(reader.Remaining).ToArray();
        var message = new MqttApplicationMessage(topic, payload, qos, (header & 0x01) != 0) { Dup = (header & 0x08) != 0 };
        return new PublishPacket(message, id);
    }

    private static ConnAckPacket DecodeConnAck(ref MqttSpanReader reader, int level)
    {
        var flags = reader.ReadByte();
        var code = reader.ReadByte();
        if (level >= 4 && (flags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"Malformed CONNACK: reserved flags 0x{flags:X2}.");
        }

        return new ConnAckPacket(level >= 4 && (flags & 0x01) != 0, code);
    }

    private static SubAckPacket DecodeSubAck(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var codes = reader.ReadBytes(reader.Remaining).ToArray();
        if (codes.Length == 0)
        {
            throw new MqttProtocolException("Malformed SUBACK: no return codes.");
        }

        foreach (var code in codes)
        {
            if (code is not (0 or 1 or 2 or SubAckPacket.Failure))
            {
                throw new MqttProtocolException($"Malformed SUBACK: return code 0x{code:X2}.");
            }
        }

        return new SubAckPacket(id, codes);
    }

    private static ConnectPacket DecodeConnect(ref MqttSpanReader reader)
    {
        var name = reader.ReadString("protocol name");
        var level = reader.ReadByte();
        if (!(name == "MQTT" && level == 4) && !(name == "MQIsdp" && level == 3))
        {
            throw new MqttProtocolException($"Unsupported protocol {name} level {level}.");
        }

        var flags = reader.ReadByte();
        if ((flags & 0x01) != 0 || ((flags & 0x04) == 0 && (flags & 0x38) != 0) || ((flags >> 3) & 0x03) == 3)
        {
            throw new MqttProtocolException($"Malformed CONNECT: flags 0x{flags:X2}.");
        }

        var keepAlive = reader.ReadUInt16();
        var clientId = reader.ReadString("client id");
        MqttWill? will = null;
        if ((flags & 0x04) != 0)
        {
            var topic = reader.ReadString("will topic");
            will = new MqttWill(topic, reader.ReadBinary().ToArray(), (flags >> 3) & 0x03, (flags & 0x20) != 0);
        }

        var user = (flags & 0x80) != 0 ? reader.ReadString("user name") : null;
        var password = (flags & 0x40) != 0 ? reader.ReadString("password") : null;
        return new ConnectPacket(level, clientId, keepAlive, (flags & 0x02) != 0, user, password, will);
    }

    private static SubscribePacket DecodeSubscribe(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var subscriptions = new List<MqttSubscription>();
        do
        {
            var filter = reader.ReadString("topic filter");
            var qos = reader.ReadByte();
            if (qos > 2)
            {
                throw new MqttProtocolException($"Malformed SUBSCRIBE: requested QoS byte 0x{qos:X2}.");
            }

            subscriptions.Add(new MqttSubscription(filter, qos));
        }
        while (reader.Remaining > 0);
        return new SubscribePacket(id, subscriptions);
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var filters = new List<string>();
        do
        {
            filters.Add(reader.ReadString("topic filter"));
        }
        while (reader.Remaining > 0);
        return new UnsubscribePacket(id, filters);
    }
}
