namespace Hub.Mqtt.Packets;

/// <summary>Which MQTT 5.0 reason codes each packet may carry (§3.x.2.1), and their words as the specification writes them.</summary>
internal static class MqttReasonCodes
{
    private static readonly byte[] ConnAck =
        [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F];

    private static readonly byte[] PubAckOrRec = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];

    private static readonly byte[] PubRelOrComp = [0x00, 0x92];

    private static readonly byte[] SubAck = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2];

    private static readonly byte[] UnsubAck = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];

    private static readonly byte[] Disconnect =
    [
        0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95,
        0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
    ];

    private static readonly byte[] Auth = [0x00, 0x18, 0x19];

    /// <summary>True when <paramref name="code"/> is one the specification defines for <paramref name="packet"/>.</summary>
    public static bool IsValidFor(MqttPacketType packet, byte code) => Array.IndexOf(CodesOf(packet), code) >= 0;

    /// <summary>A code that means failure: 0x80 and above.</summary>
    public static bool IsFailure(byte code) => code >= 0x80;

    /// <summary>The code in words for that packet, e.g. "Not authorized" for 0x87; unknown codes say so.</summary>
    public static string Describe(MqttPacketType packet, byte code) => code switch
    {
        0x00 => packet switch
        {
            MqttPacketType.Disconnect => "Normal disconnection",
            MqttPacketType.SubAck => "Granted QoS 0",
            _ => "Success",
        },
        0x01 when packet == MqttPacketType.SubAck => "Granted QoS 1",
        0x02 when packet == MqttPacketType.SubAck => "Granted QoS 2",
        _ when !IsValidFor(packet, code) => $"Reason code 0x{code:X2} (not defined for {packet.ToString().ToUpperInvariant()})",
        _ => Describe((MqttReasonCode)code),
    };

    /// <summary>The code in words, without the packet-specific names of 0x00–0x02.</summary>
    public static string Describe(MqttReasonCode code) => code switch
    {
        MqttReasonCode.Success => "Success",
        MqttReasonCode.GrantedQos1 => "Granted QoS 1",
        MqttReasonCode.GrantedQos2 => "Granted QoS 2",
        MqttReasonCode.DisconnectWithWillMessage => "Disconnect with Will Message",
        MqttReasonCode.NoMatchingSubscribers => "No matching subscribers",
        MqttReasonCode.NoSubscriptionExisted => "No subscription existed",
        MqttReasonCode.ContinueAuthentication => "Continue authentication",
        MqttReasonCode.ReAuthenticate => "Re-authenticate",
        MqttReasonCode.UnspecifiedError => "Unspecified error",
        MqttReasonCode.MalformedPacket => "Malformed Packet",
        MqttReasonCode.ProtocolError => "Protocol Error",
        MqttReasonCode.ImplementationSpecificError => "Implementation specific error",
        MqttReasonCode.UnsupportedProtocolVersion => "Unsupported Protocol Version",
        MqttReasonCode.ClientIdentifierNotValid => "Client Identifier not valid",
        MqttReasonCode.BadUserNameOrPassword => "Bad User Name or Password",
        MqttReasonCode.NotAuthorized => "Not authorized",
        MqttReasonCode.ServerUnavailable => "Server unavailable",
        MqttReasonCode.ServerBusy => "Server busy",
        MqttReasonCode.Banned => "Banned",
        MqttReasonCode.ServerShuttingDown => "Server shutting down",
        MqttReasonCode.BadAuthenticationMethod => "Bad authentication method",
        MqttReasonCode.KeepAliveTimeout => "Keep Alive timeout",
        MqttReasonCode.SessionTakenOver => "Session taken over",
        MqttReasonCode.TopicFilterInvalid => "Topic Filter invalid",
        MqttReasonCode.TopicNameInvalid => "Topic Name invalid",
        MqttReasonCode.PacketIdentifierInUse => "Packet Identifier in use",
        MqttReasonCode.PacketIdentifierNotFound => "Packet Identifier not found",
        MqttReasonCode.ReceiveMaximumExceeded => "Receive Maximum exceeded",
        MqttReasonCode.TopicAliasInvalid => "Topic Alias invalid",
        MqttReasonCode.PacketTooLarge => "Packet too large",
        MqttReasonCode.MessageRateTooHigh => "Message rate too high",
        MqttReasonCode.QuotaExceeded => "Quota exceeded",
        MqttReasonCode.AdministrativeAction => "Administrative action",
        MqttReasonCode.PayloadFormatInvalid => "Payload format invalid",
        MqttReasonCode.RetainNotSupported => "Retain not supported",
        MqttReasonCode.QosNotSupported => "QoS not supported",
        MqttReasonCode.UseAnotherServer => "Use another server",
        MqttReasonCode.ServerMoved => "Server moved",
        MqttReasonCode.SharedSubscriptionsNotSupported => "Shared Subscriptions not supported",
        MqttReasonCode.ConnectionRateExceeded => "Connection rate exceeded",
        MqttReasonCode.MaximumConnectTime => "Maximum connect time",
        MqttReasonCode.SubscriptionIdentifiersNotSupported => "Subscription Identifiers not supported",
        MqttReasonCode.WildcardSubscriptionsNotSupported => "Wildcard Subscriptions not supported",
        _ => $"Reason code 0x{(byte)code:X2}",
    };

    private static byte[] CodesOf(MqttPacketType packet) => packet switch
    {
        MqttPacketType.ConnAck => ConnAck,
        MqttPacketType.PubAck or MqttPacketType.PubRec => PubAckOrRec,
        MqttPacketType.PubRel or MqttPacketType.PubComp => PubRelOrComp,
        MqttPacketType.SubAck => SubAck,
        MqttPacketType.UnsubAck => UnsubAck,
        MqttPacketType.Disconnect => Disconnect,
        MqttPacketType.Auth => Auth,
        _ => [],
    };
}
