namespace Hub.Mqtt.Session;

/// <summary>
/// What one network connection needs to know after CONNACK. MQTT 5.0: the Topic Alias Maximum we announced
/// (inbound), the broker's (outbound), and the broker's Maximum Packet Size (null: no limit).
/// </summary>
internal sealed record MqttConnectionSettings(TimeSpan KeepAlive, TimeSpan PingTimeout, int MaxPacketSize, int InboundCapacity = 1024)
{
    public int InboundTopicAliasMaximum { get; init; }

    public int OutboundTopicAliasMaximum { get; init; }

    public uint? ServerMaximumPacketSize { get; init; }

    /// <summary>MQTT 5.0: the Receive Maximum we announced; the broker must not leave more QoS 1/2 messages unacknowledged (0: not checked).</summary>
    public int InboundReceiveMaximum { get; init; }

    /// <summary>
    /// The handler only hands each message on (<see cref="MqttClient.MessageAccepting"/>: it returns once the message is
    /// queued, and its task says when it is accepted): the reader calls it itself, without the dispatcher's thread hop.
    /// </summary>
    public bool HandsOn { get; init; }
}
