namespace Hub.Broker;

/// <summary>A message on its way to one client: queued, or in flight with a packet id until acknowledged.</summary>
internal sealed class OutgoingMessage(BrokerMessage message, int qos, bool retain, IReadOnlyList<int> subscriptionIds, string? shareKey)
{
    public BrokerMessage Message { get; } = message;

    public int Qos { get; } = qos;

    public bool Retain { get; } = retain;

    public IReadOnlyList<int> SubscriptionIds { get; } = subscriptionIds;

    /// <summary>The shared subscription (<c>group/filter</c>) it came through, so it can go to another member if this one dies.</summary>
    public string? ShareKey { get; } = shareKey;

    public ushort PacketId { get; set; }

    /// <summary>QoS 2: PUBREC received, PUBREL sent, PUBCOMP awaited.</summary>
    public bool Released { get; set; }

    /// <summary>Order of sending, for re-sending in the original order on resume.</summary>
    public long Sequence { get; set; }
}
