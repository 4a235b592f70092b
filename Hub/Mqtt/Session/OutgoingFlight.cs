using Hub.Mqtt.Packets;

namespace Hub.Mqtt.Session;

/// <summary>A QoS 1/2 PUBLISH we sent and the broker has not finished acknowledging.</summary>
internal sealed class OutgoingFlight(PublishPacket packet, long sequence)
{
    public PublishPacket Packet { get; } = packet;

    /// <summary>Send order, so retransmission keeps the original order.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>QoS 2: PUBREC arrived and PUBREL is owed; the PUBLISH is never sent again.</summary>
    public bool Released { get; set; }

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on PUBACK (QoS 1) or PUBCOMP (QoS 2).</summary>
    public Task Completion => _completion.Task;

    public void Complete() => _completion.TrySetResult();

    /// <summary>What to send again after a reconnect: the PUBLISH with DUP=1, or the PUBREL.</summary>
    public MqttPacket Retransmission =>
        Released ? new PubRelPacket(Packet.PacketId) : Packet with { Message = Packet.Message with { Dup = true } };
}
