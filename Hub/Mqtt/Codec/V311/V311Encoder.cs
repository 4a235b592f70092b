using System.Buffers;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V311;

/// <summary>Writes 3.1/3.1.1 packets; each packet is sized first and then written into one contiguous span.</summary>
internal static class V311Encoder
{
    public static void Encode(MqttPacket packet, int level, IBufferWriter<byte> output)
    {
        switch (packet)
        {
            case PublishPacket p: EncodePublish(p, output); break;
            case PubAckPacket p: EncodeIdOnly(0x40, p.PacketId, output); break;
            case PubRecPacket p: EncodeIdOnly(0x50, p.PacketId, output); break;
            case PubRelPacket p: EncodeIdOnly(0x62, p.PacketId, output); break;
            case PubCompPacket p: EncodeIdOnly(0x70, p.PacketId, output); break;
            case UnsubAckPacket p: EncodeIdOnly(0xB0, p.PacketId, output); break;
            case PingReqPacket: EncodeEmpty(0xC0, output); break;
            case PingRespPacket: EncodeEmpty(0xD0, output); break;
            case DisconnectPacket: EncodeEmpty(0xE0, output); break;
            case ConnectPacket p: EncodeConnect(p, level, output); break;
            case ConnAckPacket p: EncodeConnAck(p, level, output); break;
            case SubscribePacket p: EncodeSubscribe(p, output); break;
            case SubAckPacket p: EncodeSubAck(p, output); break;
            case UnsubscribePacket p: EncodeUnsubscribe(p, output); break;
            default: throw new ArgumentException($"MQTT 3.1.1 has no packet {packet.Type}.", nameof(packet));
        }
    }

    private static MqttSpanWriter Begin(IBufferWriter<byte> output, byte header, int bodyLength, out int total)
    {
        if (bodyLength > RemainingLength.Max)
        {
            throw new ArgumentException($"Packet body of {bodyLength} bytes exceeds the MQTT maximum of {RemainingLength.Max}.");
        }

        total = 1 + RemainingLength.GetSize(bodyLength) + bodyLength;
        var writer = new MqttSpanWriter(output.GetSpan(total));
        writer.WriteByte(header);
        writer.WriteRemainingLength(bodyLength);
        return writer;
    }

    private static void EncodeEmpty(byte header, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(2);
        span[0] = header;
        span[1] = 0;
        output.Advance(2);
    }

    private static void EncodeIdOnly(byte header, ushort packetId, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(4);
        span[0] = header;
        span[1] = 2;
        span[2] = (byte)(packetId >> 8);
        span[3] = (byte)packetId;
        output.Advance(4);
    }

    private static void EncodePublish(PublishPacket packet, IBufferWriter<byte> output)
    {
        var message = packet.Message;
        if (message.Qos is < 0 or > 2)
        {
            throw new ArgumentException($"QoS {message.Qos} does not exist.");
        }

        if ((message.Qos == 0) != (packet.PacketId == 0))
        {
            throw new ArgumentException("A QoS 0 PUBLISH carries no packet id; QoS 1 and 2 need one.");
        }

        var topicLength = MqttStrings.GetByteCount(message.Topic, "topic");
        var body = 2 + topicLength + (message.Qos > 0 ? 2 : 0) + message.Payload.Length;
        var header = (byte)(0x30 | (message.Dup && message.Qos > 0 ? 0x08 : 0) | (message.Qos << 1) | (message.Retain ? 1 : 0));
        var writer = Begin(output, header, body, out var total);
        writer.WriteString(message.Topic, topicLength);
        if (message.Qos > 0)
        {
            writer.WriteUInt16(packet.PacketId);
        }

        writer.WriteBytes(message.Payload.Span);
        output.Advance(total);
    }

    private static void EncodeConnect(ConnectPacket packet, int level, IBufferWriter<byte> output)
    {
        if (packet.Password is not null && packet.Username is null)
        {
            throw new ArgumentException("MQTT 3.1.1 sends a password only together with a user name.");
        }

        var name = MqttV311PacketFormatter.ProtocolName(level);
        var clientIdLength = MqttStrings.GetByteCount(packet.ClientId, "client id");
        var body = 2 + name.Length + 1 + 1 + 2 + 2 + clientIdLength;
        byte flags = packet.CleanSession ? (byte)0x02 : (byte)0;
        var willTopicLength = 0;
        if (packet.Will is { } will)
        {
            if (will.Qos is < 0 or > 2)
            {
                throw new ArgumentException($"Will QoS {will.Qos} does not exist.");
            }

            willTopicLength = MqttStrings.GetByteCount(will.Topic, "will topic");
            body += 2 + willTopicLength + 2 + will.Payload.Length;
            flags |= (byte)(0x04 | (will.Qos << 3) | (will.Retain ? 0x20 : 0));
        }

        var userLength = packet.Username is null ? 0 : MqttStrings.GetByteCount(packet.Username, "user name");
        var passwordLength = packet.Password is null ? 0 : MqttStrings.GetByteCount(packet.Password, "password");
        if (packet.Username is not null)
        {
            body += 2 + userLength;
            flags |= 0x80;
        }

        if (packet.Password is not null)
        {
            body += 2 + passwordLength;
            flags |= 0x40;
        }

        var writer = Begin(output, 0x10, body, out var total);
        writer.WriteString(name, name.Length);
        writer.WriteByte((byte)level);
        writer.WriteByte(flags);
        writer.WriteUInt16(packet.KeepAliveSeconds);
        writer.WriteString(packet.ClientId, clientIdLength);
        if (packet.Will is { } w)
        {
            writer.WriteString(w.Topic, willTopicLength);
            writer.WriteBinary(w.Payload.Span);
        }

        if (packet.Username is not null)
        {
            writer.WriteString(packet.Username, userLength);
        }

        if (packet.Password is not null)
        {
            writer.WriteString(packet.Password, passwordLength);
        }

        output.Advance(total);
    }

    private static void EncodeConnAck(ConnAckPacket packet, int level, IBufferWriter<byte> output)
    {
        var writer = Begin(output, 0x20, 2, out var total);
        writer.WriteByte(packet.SessionPresent && level >= 4 ? (byte)1 : (byte)0);
        writer.WriteByte(packet.ReturnCode);
        output.Advance(total);
    }

    private static void EncodeSubscribe(SubscribePacket packet, IBufferWriter<byte> output)
    {
        if (packet.Subscriptions.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter.");
        }

        var lengths = new int[packet.Subscriptions.Count];
        var body = 2;
        for (var i = 0; i < lengths.Length; i++)
        {
            var s = packet.Subscriptions[i];
            MqttTopics.ValidateFilter(s.Filter);
            if (s.Qos is < 0 or > 2)
            {
                throw new ArgumentException($"QoS {s.Qos} does not exist (filter {s.Filter}).");
            }

            lengths[i] = MqttStrings.GetByteCount(s.Filter, "topic filter");
            body += 2 + lengths[i] + 1;
        }

        var writer = Begin(output, 0x82, body, out var total);
        writer.WriteUInt16(packet.PacketId);
        for (var i = 0; i < lengths.Length; i++)
        {
            writer.WriteString(packet.Subscriptions[i].Filter, lengths[i]);
            writer.WriteByte((byte)packet.Subscriptions[i].Qos);
        }

        output.Advance(total);
    }

    private static void EncodeSubAck(SubAckPacket packet, IBufferWriter<byte> output)
    {
        var writer = Begin(output, 0x90, 2 + packet.ReturnCodes.Count, out var total);
        writer.WriteUInt16(packet.PacketId);
        foreach (var code in packet.ReturnCodes)
        {
            writer.WriteByte(code);
        }

        output.Advance(total);
    }

    private static void EncodeUnsubscribe(UnsubscribePacket packet, IBufferWriter<byte> output)
    {
        if (packet.Filters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter.");
        }

        var lengths = packet.Filters.Select(f => MqttStrings.GetByteCount(f, "topic filter")).ToArray();
        var writer = Begin(output, 0xA2, 2 + lengths.Sum(l => 2 + l), out var total);
        writer.WriteUInt16(packet.PacketId);
        for (var i = 0; i < lengths.Length; i++)
        {
            writer.WriteString(packet.Filters[i], lengths[i]);
        }

        output.Advance(total);
    }
}
