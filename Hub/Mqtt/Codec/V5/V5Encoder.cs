using System.Buffers;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Codec.V5;

/// <summary>
/// Writes MQTT 5.0 packets, both the client's and the server's. Each packet is validated and sized first,
/// then written into one contiguous span; invalid packets throw <see cref="ArgumentException"/> before any byte is written.
/// </summary>
internal static class V5Encoder
{
    public static void Encode(MqttPacket packet, IBufferWriter<byte> output)
    {
        switch (packet)
        {
            case ConnectPacket p: EncodeConnect(p, output); break;
            case ConnAckPacket p: EncodeConnAck(p, output); break;
            case PublishPacket p: EncodePublish(p, output); break;
            case PubAckPacket p: EncodeAck(0x40, p.PacketId, p.ReasonCode, p.Properties, V5PropertyScope.PubAck, output); break;
            case PubRecPacket p: EncodeAck(0x50, p.PacketId, p.ReasonCode, p.Properties, V5PropertyScope.PubRec, output); break;
            case PubRelPacket p: EncodeAck(0x62, p.PacketId, p.ReasonCode, p.Properties, V5PropertyScope.PubRel, output); break;
            case PubCompPacket p: EncodeAck(0x70, p.PacketId, p.ReasonCode, p.Properties, V5PropertyScope.PubComp, output); break;
            case SubscribePacket p: EncodeSubscribe(p, output); break;
            case SubAckPacket p: EncodeCodes(0x90, p.PacketId, p.Properties, p.ReturnCodes, V5PropertyScope.SubAck, output); break;
            case UnsubscribePacket p: EncodeUnsubscribe(p, output); break;
            case UnsubAckPacket p: EncodeCodes(0xB0, p.PacketId, p.Properties, p.ReasonCodes, V5PropertyScope.UnsubAck, output); break;
            case PingReqPacket: EncodeEmpty(0xC0, output); break;
            case PingRespPacket: EncodeEmpty(0xD0, output); break;
            case DisconnectPacket p: EncodeReasonOnly(0xE0, p.ReasonCode, p.Properties, V5PropertyScope.Disconnect, output); break;
            case AuthPacket p: EncodeReasonOnly(0xF0, p.ReasonCode, p.Properties, V5PropertyScope.Auth, output); break;
            default: throw new ArgumentException($"MQTT 5.0 has no packet {packet.Type}.", nameof(packet));
        }
    }

    private static MqttSpanWriter Begin(IBufferWriter<byte> output, byte header, long bodyLength, out int total)
    {
        if (bodyLength > RemainingLength.Max)
        {
            throw new ArgumentException($"Packet body of {bodyLength} bytes exceeds the MQTT maximum of {RemainingLength.Max}.");
        }

        total = 1 + RemainingLength.GetSize((int)bodyLength) + (int)bodyLength;
        var writer = new MqttSpanWriter(output.GetSpan(total));
        writer.WriteByte(header);
        writer.WriteRemainingLength((int)bodyLength);
        return writer;
    }

    private static void EncodeEmpty(byte header, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(2);
        span[0] = header;
        span[1] = 0;
        output.Advance(2);
    }

    private static void ValidateReason(V5PropertyScope scope, byte code)
    {
        if (!MqttReasonCodes.IsValidFor((MqttPacketType)scope, code))
        {
            throw new ArgumentException($"Reason code 0x{code:X2} is not defined for {V5PropertyRules.Describe(scope)}.");
        }
    }

    private static int ByteCount(string value, string what) => MqttStrings.GetByteCount(value, what);

    /// <summary>Binary Data has a two-byte length.</summary>
    private static int BinarySize(ReadOnlyMemory<byte> value, string what) =>
        value.Length <= ushort.MaxValue ? 2 + value.Length : throw new ArgumentException($"The {what} is longer than 65535 bytes.");

    private static void EncodeConnect(ConnectPacket packet, IBufferWriter<byte> output)
    {
        var properties = V5PropertyWriter.Prepare(packet.Properties, V5PropertyScope.Connect);
        var clientIdLength = ByteCount(packet.ClientId, "client id");
        long body = 2 + 4 + 1 + 1 + 2 + properties.Size + 2 + clientIdLength;
        var flags = packet.CleanSession ? 0x02 : 0;
        var willProperties = default(V5PropertyWriter.Prepared);
        var willTopicLength = 0;
        if (packet.Will is { } will)
        {
            if (will.Qos is < 0 or > 2)
            {
                throw new ArgumentException($"Will QoS {will.Qos} does not exist.");
            }

            MqttTopics.ValidateName(will.Topic);
            willProperties = V5PropertyWriter.Prepare(packet.WillProperties, V5PropertyScope.Will);
            willTopicLength = ByteCount(will.Topic, "will topic");
            body += willProperties.Size + 2 + willTopicLength + BinarySize(will.Payload, "will payload");
            flags |= 0x04 | (will.Qos << 3) | (will.Retain ? 0x20 : 0);
        }
        else if (!packet.WillProperties.IsEmpty)
        {
            throw new ArgumentException("Will properties need a Will.");
        }

        var userLength = packet.Username is null ? 0 : ByteCount(packet.Username, "user name");
        var passwordLength = packet.Password is null ? 0 : ByteCount(packet.Password, "password");
        body += (packet.Username is null ? 0 : 2 + userLength) + (packet.Password is null ? 0 : 2 + passwordLength);
        flags |= (packet.Username is null ? 0 : 0x80) | (packet.Password is null ? 0 : 0x40);

        var writer = Begin(output, 0x10, body, out var total);
        writer.WriteString("MQTT", 4);
        writer.WriteByte(5);
        writer.WriteByte((byte)flags);
        writer.WriteUInt16(packet.KeepAliveSeconds);
        V5PropertyWriter.Write(ref writer, properties);
        writer.WriteString(packet.ClientId, clientIdLength);
        if (packet.Will is { } w)
        {
            V5PropertyWriter.Write(ref writer, willProperties);
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

    private static void EncodeConnAck(ConnAckPacket packet, IBufferWriter<byte> output)
    {
        ValidateReason(V5PropertyScope.ConnAck, packet.ReturnCode);
        if (packet.SessionPresent && MqttReasonCodes.IsFailure(packet.ReturnCode))
        {
            throw new ArgumentException("A refusing CONNACK must not set Session Present.");
        }

        var properties = V5PropertyWriter.Prepare(packet.Properties, V5PropertyScope.ConnAck);
        var writer = Begin(output, 0x20, 2 + properties.Size, out var total);
        writer.WriteByte(packet.SessionPresent ? (byte)1 : (byte)0);
        writer.WriteByte(packet.ReturnCode);
        V5PropertyWriter.Write(ref writer, properties);
        output.Advance(total);
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

        // An empty topic name is how a PUBLISH uses an alias set up earlier (§3.3.2.3.4).
        if (message.Topic.Length > 0 || packet.Properties.TopicAlias is null)
        {
            MqttTopics.ValidateName(message.Topic);
        }

        var properties = V5PropertyWriter.Prepare(packet.Properties, V5PropertyScope.Publish);
        var topicLength = ByteCount(message.Topic, "topic");
        long body = 2 + topicLength + (message.Qos > 0 ? 2 : 0) + properties.Size + message.Payload.Length;
        var header = (byte)(0x30 | (message.Dup && message.Qos > 0 ? 0x08 : 0) | (message.Qos << 1) | (message.Retain ? 1 : 0));
        var writer = Begin(output, header, body, out var total);
        writer.WriteString(message.Topic, topicLength);
        if (message.Qos > 0)
        {
            writer.WriteUInt16(packet.PacketId);
        }

        V5PropertyWriter.Write(ref writer, properties);
        writer.WriteBytes(message.Payload.Span);
        output.Advance(total);
    }

    /// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP: the reason code is left out when it is 0 with no properties, the property length when there are none (§3.4.2.1).</summary>
    private static void EncodeAck(byte header, ushort packetId, MqttReasonCode reason, MqttProperties properties, V5PropertyScope scope, IBufferWriter<byte> output)
    {
        ValidateReason(scope, (byte)reason);
        if (packetId == 0)
        {
            throw new ArgumentException("Packet id 0 is not allowed.");
        }

        var prepared = V5PropertyWriter.Prepare(properties, scope);
        var body = prepared.Length > 0 ? 3 + prepared.Size : reason != MqttReasonCode.Success ? 3 : 2;
        var writer = Begin(output, header, body, out var total);
        writer.WriteUInt16(packetId);
        if (body > 2)
        {
            writer.WriteByte((byte)reason);
        }

        if (prepared.Length > 0)
        {
            V5PropertyWriter.Write(ref writer, prepared);
        }

        output.Advance(total);
    }

    /// <summary>DISCONNECT and AUTH: remaining length 0 for reason 0 without properties; DISCONNECT may also drop just the property length.</summary>
    private static void EncodeReasonOnly(byte header, MqttReasonCode reason, MqttProperties properties, V5PropertyScope scope, IBufferWriter<byte> output)
    {
        ValidateReason(scope, (byte)reason);
        var prepared = V5PropertyWriter.Prepare(properties, scope);
        var body = prepared.Length > 0 || (scope == V5PropertyScope.Auth && reason != MqttReasonCode.Success)
            ? 1 + prepared.Size
            : reason != MqttReasonCode.Success ? 1 : 0;
        var writer = Begin(output, header, body, out var total);
        if (body > 0)
        {
            writer.WriteByte((byte)reason);
        }

        if (body > 1)
        {
            V5PropertyWriter.Write(ref writer, prepared);
        }

        output.Advance(total);
    }

    private static void EncodeSubscribe(SubscribePacket packet, IBufferWriter<byte> output)
    {
        if (packet.Subscriptions.Count == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs at least one topic filter.");
        }

        var properties = V5PropertyWriter.Prepare(packet.Properties, V5PropertyScope.Subscribe);
        var lengths = new int[packet.Subscriptions.Count];
        long body = 2 + properties.Size;
        for (var i = 0; i < lengths.Length; i++)
        {
            var s = packet.Subscriptions[i];
            MqttTopics.ValidateFilter(s.Filter);
            if (s.Qos is < 0 or > 2 || s.RetainHandling is < 0 or > 2)
            {
                throw new ArgumentException($"QoS {s.Qos} / retain handling {s.RetainHandling} does not exist (filter {s.Filter}).");
            }

            if (s.NoLocal && V5Decoder.IsShared(s.Filter))
            {
                throw new ArgumentException($"No Local is not allowed on a shared subscription ({s.Filter}).");
            }

            lengths[i] = ByteCount(s.Filter, "topic filter");
            body += 2 + lengths[i] + 1;
        }

        var writer = Begin(output, 0x82, body, out var total);
        writer.WriteUInt16(packet.PacketId);
        V5PropertyWriter.Write(ref writer, properties);
        for (var i = 0; i < lengths.Length; i++)
        {
            var s = packet.Subscriptions[i];
            writer.WriteString(s.Filter, lengths[i]);
            writer.WriteByte((byte)(s.Qos | (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | (s.RetainHandling << 4)));
        }

        output.Advance(total);
    }

    private static void EncodeUnsubscribe(UnsubscribePacket packet, IBufferWriter<byte> output)
    {
        if (packet.Filters.Count == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs at least one topic filter.");
        }

        var properties = V5PropertyWriter.Prepare(packet.Properties, V5PropertyScope.Unsubscribe);
        var lengths = packet.Filters.Select(f => ByteCount(f, "topic filter")).ToArray();
        var writer = Begin(output, 0xA2, 2L + properties.Size + lengths.Sum(l => 2L + l), out var total);
        writer.WriteUInt16(packet.PacketId);
        V5PropertyWriter.Write(ref writer, properties);
        for (var i = 0; i < lengths.Length; i++)
        {
            writer.WriteString(packet.Filters[i], lengths[i]);
        }

        output.Advance(total);
    }

    /// <summary>SUBACK and UNSUBACK: packet id, properties, one reason code per filter.</summary>
    private static void EncodeCodes(byte header, ushort packetId, MqttProperties properties, IReadOnlyList<byte> codes, V5PropertyScope scope, IBufferWriter<byte> output)
    {
        if (codes.Count == 0)
        {
            throw new ArgumentException($"{V5PropertyRules.Describe(scope)} needs one reason code per topic filter.");
        }

        foreach (var code in codes)
        {
            ValidateReason(scope, code);
        }

        var prepared = V5PropertyWriter.Prepare(properties, scope);
        var writer = Begin(output, header, 2L + prepared.Size + codes.Count, out var total);
        writer.WriteUInt16(packetId);
        V5PropertyWriter.Write(ref writer, prepared);
        foreach (var code in codes)
        {
            writer.WriteByte(code);
        }

        output.Advance(total);
    }
}
