using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>A QoS 1/2 message we publish: queued for an in-flight slot, then sent and awaiting its acknowledgement.</summary>
internal sealed class OutgoingFlight(MqttApplicationMessage message)
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttApplicationMessage Message { get; } = message;

    /// <summary>The PUBLISH with its packet id; null while the message waits for an in-flight slot.</summary>
    public PublishPacket? Packet { get; private set; }

    /// <summary>Send order, so retransmission keeps the original order.</summary>
    public long Sequence { get; private set; }

    /// <summary>QoS 2: PUBREC arrived and PUBREL is owed; the PUBLISH is never sent again.</summary>
    public bool Released { get; set; }

    /// <summary>Completes on PUBACK (QoS 1) or PUBCOMP (QoS 2).</summary>
    public Task Completion => _completion.Task;

    /// <summary>What to send again after a reconnect: the PUBLISH with DUP=1, or the PUBREL.</summary>
    public MqttPacket Retransmission =>
        Released ? new PubRelPacket(Packet!.PacketId) : Packet! with { Message = Packet.Message with { Dup = true } };

    public PublishPacket Activate(ushort packetId, long sequence)
    {
        Sequence = sequence;
        Packet = new PublishPacket(Message.Dup ? Message with { Dup = false } : Message, packetId)
        {
            Properties = MqttMessageProperties.ToPacket(Message.Properties),
        };
        return Packet;
    }

    public void Complete() => _completion.TrySetResult();

    /// <summary>The broker refused the message (MQTT 5.0 reason code 0x80 and up): the publisher gets the reason.</summary>
    public void Fail(Exception reason) => _completion.TrySetException(reason);
}
