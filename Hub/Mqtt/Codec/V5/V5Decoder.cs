using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V5;

/// <summary>
/// Reads MQTT 5.0 packet bodies, both the client's and the server's. Anything the specification calls a
/// Malformed Packet or a Protocol Error throws <see cref="MqttProtocolException"/> with the matching reason code.
/// </summary>
internal static class V5Decoder
{
    public static MqttPacket Decode(byte header, ReadOnlySpan<byte> body)
    {
        MqttFrameReader.ValidateFlags(header);
        var type = (MqttPacketType)(header >> 4);
        var reader = new MqttSpanReader(body, MqttPacketNames.Upper(type));
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref reader),
            MqttPacketType.ConnAck => DecodeConnAck(ref reader),
            MqttPacketType.Publish => DecodePublish(header, ref reader),
            MqttPacketType.PubAck => DecodeAck(ref reader, V5PropertyScope.PubAck, (id, code, p) => new PubAckPacket(id) { ReasonCode = code, Properties = p }),
            MqttPacketType.PubRec => DecodeAck(ref reader, V5PropertyScope.PubRec, (id, code, p) => new PubRecPacket(id) { ReasonCode = code, Properties = p }),
            MqttPacketType.PubRel => DecodeAck(ref reader, V5PropertyScope.PubRel, (id, code, p) => new PubRelPacket(id) { ReasonCode = code, Properties = p }),
            MqttPacketType.PubComp => DecodeAck(ref reader, V5PropertyScope.PubComp, (id, code, p) => new PubCompPacket(id) { ReasonCode = code, Properties = p }),
            MqttPacketType.Subscribe => DecodeSubscribe(ref reader),
            MqttPacketType.SubAck => DecodeSubAck(ref reader),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref reader),
            MqttPacketType.UnsubAck => DecodeUnsubAck(ref reader),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => DecodeDisconnect(ref reader),
            MqttPacketType.Auth => DecodeAuth(ref reader),
            _ => throw new MqttProtocolException($"Malformed packet: reserved packet type {(int)type}."),
        };
        reader.ExpectEnd();
        return packet;
    }

    /// <summary>A shared subscription's filter: <c>$share/{group}/{filter}</c>.</summary>
    public static bool IsShared(string filter) => filter.StartsWith("$share/", StringComparison.Ordinal);

    private static ushort ReadId(ref MqttSpanReader reader)
    {
        var id = reader.ReadUInt16();
        return id != 0 ? id : throw new MqttProtocolException($"Malformed {reader.PacketName}: packet id 0.");
    }

    private static byte ReadReason(ref MqttSpanReader reader, MqttPacketType type)
    {
        var code = reader.ReadByte();
        return MqttReasonCodes.IsValidFor(type, code)
            ? code
            : throw new MqttProtocolException($"Malformed {reader.PacketName}: reason code 0x{code:X2} is not defined for {reader.PacketName}.");
    }

    private static MqttProtocolException ProtocolError(ref MqttSpanReader reader, string what) =>
        V5PropertyReader.ProtocolError(reader.PacketName, what);

    private static string ReadTopicName(ref MqttSpanReader reader, string what)
    {
        var topic = reader.ReadString(what);
        return topic.AsSpan().IndexOfAny('+', '#') < 0
            ? topic
            : throw new MqttProtocolException($"Malformed {reader.PacketName}: invalid {what} '{topic}'.");
    }

    private static ConnectPacket DecodeConnect(ref MqttSpanReader reader)
    {
        var name = reader.ReadString("protocol name");
        var level = reader.ReadByte();
        if (name != "MQTT" || level != 5)
        {
            throw new MqttProtocolException($"Unsupported protocol {name} level {level}.", MqttReasonCode.UnsupportedProtocolVersion);
        }

        var flags = reader.ReadByte();
        if ((flags & 0x01) != 0 || ((flags & 0x04) == 0 && (flags & 0x38) != 0) || ((flags >> 3) & 0x03) == 3)
        {
            throw new MqttProtocolException($"Malformed CONNECT: flags 0x{flags:X2}.");
        }

        var keepAlive = reader.ReadUInt16();
        var properties = V5PropertyReader.Read(ref reader, V5PropertyScope.Connect);
        var clientId = reader.ReadString("client id");
        MqttWill? will = null;
        var willProperties = MqttProperties.None;
        if ((flags & 0x04) != 0)
        {
            willProperties = V5PropertyReader.Read(ref reader, V5PropertyScope.Will);
            var topic = ReadTopicName(ref reader, "will topic");
            if (topic.Length == 0)
            {
                throw new MqttProtocolException("Malformed CONNECT: empty will topic.");
            }

            will = new MqttWill(topic, reader.ReadBinary().ToArray(), (flags >> 3) & 0x03, (flags & 0x20) != 0);
        }

        var user = (flags & 0x80) != 0 ? reader.ReadString("user name") : null;
        var password = (flags & 0x40) != 0 ? reader.ReadString("password") : null;
        return new ConnectPacket(5, clientId, keepAlive, (flags & 0x02) != 0, user, password, will)
        {
            Properties = properties,
            WillProperties = willProperties,
        };
    }

    private static ConnAckPacket DecodeConnAck(ref MqttSpanReader reader)
    {
        var flags = reader.ReadByte();
        if ((flags & 0xFE) != 0)
        {
            throw new MqttProtocolException($"Malformed CONNACK: reserved flags 0x{flags:X2}.");
        }

        // A server that only speaks 3.1.1 refuses a 5.0 CONNECT with its own two-byte CONNACK, return
        // code 1 (unacceptable protocol version): read that as 0x84 so the refusal is reported in 5.0 terms.
        if (reader.Remaining == 1)
        {
            var legacy = reader.ReadByte();
            return legacy == 0x01
                ? new ConnAckPacket(false, (byte)MqttReasonCode.UnsupportedProtocolVersion)
                : throw new MqttProtocolException($"Malformed CONNACK: no property length (return code 0x{legacy:X2}).");
        }

        var code = ReadReason(ref reader, MqttPacketType.ConnAck);
        if ((flags & 0x01) != 0 && MqttReasonCodes.IsFailure(code))
        {
            throw ProtocolError(ref reader, $"session present with reason code 0x{code:X2}.");
        }

        return new ConnAckPacket((flags & 0x01) != 0, code) { Properties = V5PropertyReader.Read(ref reader, V5PropertyScope.ConnAck) };
    }

    private static PublishPacket DecodePublish(byte header, ref MqttSpanReader reader)
    {
        var qos = (header >> 1) & 0x03;
        var topic = ReadTopicName(ref reader, "topic name");
        var id = qos > 0 ? ReadId(ref reader) : (ushort)0;
        var properties = V5PropertyReader.Read(ref reader, V5PropertyScope.Publish);
        if (topic.Length == 0 && properties.TopicAlias is null)
        {
            throw ProtocolError(ref reader, "empty topic name without a topic alias.");
        }

        var payload = reader.ReadBytes(reader.Remaining).ToArray();
        var message = new MqttApplicationMessage(topic, payload, qos, (header & 0x01) != 0) { Dup = (header & 0x08) != 0 };
        return new PublishPacket(message, id) { Properties = properties };
    }

    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: remaining length 2 means Success without properties, 3 a reason code without properties (§3.4.2.1).</summary>
    private static MqttPacket DecodeAck(ref MqttSpanReader reader, V5PropertyScope scope, Func<ushort, MqttReasonCode, MqttProperties, MqttPacket> create)
    {
        var id = ReadId(ref reader);
        var code = reader.Remaining > 0 ? ReadReason(ref reader, (MqttPacketType)scope) : (byte)0;
        var properties = reader.Remaining > 0 ? V5PropertyReader.Read(ref reader, scope) : MqttProperties.None;
        return create(id, (MqttReasonCode)code, properties);
    }

    private static SubscribePacket DecodeSubscribe(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var properties = V5PropertyReader.Read(ref reader, V5PropertyScope.Subscribe);
        if (reader.Remaining == 0)
        {
            throw ProtocolError(ref reader, "no topic filter.");
        }

        var subscriptions = new List<MqttSubscription>();
        while (reader.Remaining > 0)
        {
            var filter = reader.ReadString("topic filter");
            var options = reader.ReadByte();
            if ((options & 0xC0) != 0 || (options & 0x03) == 3)
            {
                throw new MqttProtocolException($"Malformed SUBSCRIBE: subscription options 0x{options:X2} for '{filter}' (reserved bits or QoS 3).");
            }

            var retainHandling = (options >> 4) & 0x03;
            if (retainHandling == 3)
            {
                throw ProtocolError(ref reader, $"retain handling 3 for '{filter}'.");
            }

            var noLocal = (options & 0x04) != 0;
            if (noLocal && IsShared(filter))
            {
                throw ProtocolError(ref reader, $"No Local on the shared subscription '{filter}'.");
            }

            subscriptions.Add(new MqttSubscription(filter, options & 0x03)
            {
                NoLocal = noLocal,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = retainHandling,
            });
        }

        return new SubscribePacket(id, subscriptions) { Properties = properties };
    }

    private static SubAckPacket DecodeSubAck(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var properties = V5PropertyReader.Read(ref reader, V5PropertyScope.SubAck);
        return new SubAckPacket(id, ReadCodes(ref reader, MqttPacketType.SubAck)) { Properties = properties };
    }

    private static UnsubAckPacket DecodeUnsubAck(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var properties = V5PropertyReader.Read(ref reader, V5PropertyScope.UnsubAck);
        return new UnsubAckPacket(id) { ReasonCodes = ReadCodes(ref reader, MqttPacketType.UnsubAck), Properties = properties };
    }

    private static byte[] ReadCodes(ref MqttSpanReader reader, MqttPacketType type)
    {
        if (reader.Remaining == 0)
        {
            throw new MqttProtocolException($"Malformed {reader.PacketName}: no reason codes.");
        }

        var codes = reader.ReadBytes(reader.Remaining).ToArray();
        foreach (var code in codes)
        {
            if (!MqttReasonCodes.IsValidFor(type, code))
            {
                throw new MqttProtocolException($"Malformed {reader.PacketName}: reason code 0x{code:X2} is not defined for {reader.PacketName}.");
            }
        }

        return codes;
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref MqttSpanReader reader)
    {
        var id = ReadId(ref reader);
        var properties = V5PropertyReader.Read(ref reader, V5PropertyScope.Unsubscribe);
        if (reader.Remaining == 0)
        {
            throw ProtocolError(ref reader, "no topic filter.");
        }

        var filters = new List<string>();
        while (reader.Remaining > 0)
        {
            filters.Add(reader.ReadString("topic filter"));
        }

        return new UnsubscribePacket(id, filters) { Properties = properties };
    }

    /// <summary>Remaining length 0 means Normal disconnection; 1 a reason code without properties (§3.14.2.2.1).</summary>
    private static DisconnectPacket DecodeDisconnect(ref MqttSpanReader reader)
    {
        if (reader.Remaining == 0)
        {
            return DisconnectPacket.Instance;
        }

        var code = (MqttReasonCode)ReadReason(ref reader, MqttPacketType.Disconnect);
        var properties = reader.Remaining > 0 ? V5PropertyReader.Read(ref reader, V5PropertyScope.Disconnect) : MqttProperties.None;
        return new DisconnectPacket { ReasonCode = code, Properties = properties };
    }

    /// <summary>Remaining length 0 means Success without properties (§3.15.2.1); a lone reason code is read like DISCONNECT's.</summary>
    private static AuthPacket DecodeAuth(ref MqttSpanReader reader)
    {
        if (reader.Remaining == 0)
        {
            return new AuthPacket();
        }

        var code = (MqttReasonCode)ReadReason(ref reader, MqttPacketType.Auth);
        var properties = reader.Remaining > 0 ? V5PropertyReader.Read(ref reader, V5PropertyScope.Auth) : MqttProperties.None;
        return new AuthPacket(code) { Properties = properties };
    }
}
