using Hub.Mqtt;
using Hub.Mqtt.Packets;

namespace Hub.Tests.Mqtt.Codec;

/// <summary>
/// MQTT 5.0 packets and their bytes, worked out by hand from the specification. Between them they use
/// every packet type and every property (§2.2.2.2). Layout: fixed header, remaining length, then the body
/// as the comments split it; strings are a two-byte length and UTF-8, property lists a length and id/value pairs.
/// </summary>
internal static class V5GoldenPackets
{
    public static readonly (string Name, string Hex, MqttPacket Packet)[] All =
    [
        // 10 | 0E | "MQTT" level 5 | flags: clean | keep alive 60 | no properties | client id "c"
        ("connect-minimal", "10 0E 0004 4D515454 05 02 003C 00 0001 63", new ConnectPacket(5, "c", 60, true)),

        // flags EE = user 80 | password 40 | will retain 20 | will QoS 1 (08) | will 04 | clean 02; keep alive 10
        // properties (36 = 0x24): 11 session expiry 60 | 15 auth method "m" | 16 auth data 0102 | 17 request problem 0
        //   | 19 request response 1 | 21 receive maximum 20 | 22 topic alias maximum 10 | 26 user a=b | 27 maximum packet size 1024
        // client id "c"
        // will properties (31 = 0x1F): 01 payload format 1 | 02 message expiry 10 | 03 content type "t" | 08 response topic "r"
        //   | 09 correlation data AB | 18 will delay 5 | 26 user k=v
        // will topic "w" | will payload "x" | user "u" | password "p"
        (
            "connect-every-property",
            "10 5E 0004 4D515454 05 EE 000A " +
            "24 11 0000003C 15 0001 6D 16 0002 0102 17 00 19 01 21 0014 22 000A 26 0001 61 0001 62 27 00000400 " +
            "0001 63 " +
            "1F 01 01 02 0000000A 03 0001 74 08 0001 72 09 0001 AB 18 00000005 26 0001 6B 0001 76 " +
            "0001 77 0001 78 0001 75 0001 70",
            new ConnectPacket(5, "c", 10, true, "u", "p", new MqttWill("w", "x"u8.ToArray(), 1, true))
            {
                Properties = new()
                {
                    SessionExpiryInterval = 60,
                    AuthenticationMethod = "m",
                    AuthenticationData = new byte[] { 1, 2 },
                    RequestProblemInformation = false,
                    RequestResponseInformation = true,
                    ReceiveMaximum = 20,
                    TopicAliasMaximum = 10,
                    UserProperties = [new("a", "b")],
                    MaximumPacketSize = 1024,
                },
                WillProperties = new()
                {
                    PayloadFormatIndicator = 1,
                    MessageExpiryInterval = 10,
                    ContentType = "t",
                    ResponseTopic = "r",
                    CorrelationData = new byte[] { 0xAB },
                    WillDelayInterval = 5,
                    UserProperties = [new("k", "v")],
                },
            }),

        // 5.0 allows a password without a user name: flags 40 only
        ("connect-password-only", "10 11 0004 4D515454 05 40 0000 00 0001 63 0001 70", new ConnectPacket(5, "c", 0, false, null, "p")),

        // flags 00 | reason 00 Success | no properties
        ("connack-minimal", "20 03 00 00 00", new ConnAckPacket(false, 0)),
        ("connack-session-present", "20 03 01 00 00", new ConnAckPacket(true, 0)),

        // properties (70 = 0x46): 11 session expiry 120 | 12 assigned client id "id" | 13 server keep alive 30 | 15 auth method "m"
        //   | 16 auth data FF | 1A response information "ri" | 1C server reference "s" | 1F reason string "ok" | 21 receive maximum 100
        //   | 22 topic alias maximum 5 | 24 maximum QoS 1 | 25 retain available 0 | 26 user a=1 | 26 user a=2 (repeats keep their order)
        //   | 27 maximum packet size 65536 | 28 wildcard 0 | 29 subscription ids 0 | 2A shared 1
        (
            "connack-every-property",
            "20 49 00 00 46 11 00000078 12 0002 6964 13 001E 15 0001 6D 16 0001 FF 1A 0002 7269 1C 0001 73 1F 0002 6F6B " +
            "21 0064 22 0005 24 01 25 00 26 0001 61 0001 31 26 0001 61 0001 32 27 00010000 28 00 29 00 2A 01",
            new ConnAckPacket(false, 0)
            {
                Properties = new()
                {
                    SessionExpiryInterval = 120,
                    AssignedClientIdentifier = "id",
                    ServerKeepAlive = 30,
                    AuthenticationMethod = "m",
                    AuthenticationData = new byte[] { 0xFF },
                    ResponseInformation = "ri",
                    ServerReference = "s",
                    ReasonString = "ok",
                    ReceiveMaximum = 100,
                    TopicAliasMaximum = 5,
                    MaximumQos = 1,
                    RetainAvailable = false,
                    UserProperties = [new("a", "1"), new("a", "2")],
                    MaximumPacketSize = 65536,
                    WildcardSubscriptionAvailable = false,
                    SubscriptionIdentifiersAvailable = false,
                    SharedSubscriptionAvailable = true,
                },
            }),

        // reason 87 Not authorized | properties: 1F reason string "no"
        ("connack-refused", "20 08 00 87 05 1F 0002 6E6F", new ConnAckPacket(false, 0x87) { Properties = new() { ReasonString = "no" } }),

        // topic "a/b" | no properties | payload "hi"
        ("publish-qos0", "30 08 0003 612F62 00 6869", new PublishPacket(new MqttApplicationMessage("a/b", "hi"u8.ToArray()))),

        // 3B = PUBLISH | dup 08 | QoS 1 (02) | retain 01; topic "a/b" | id 10
        // properties (41 = 0x29): 01 payload format 1 | 02 message expiry 3600 | 03 content type "json" | 08 response topic "r/1"
        //   | 09 correlation data 010203 | 0B subscription id 1 | 0B subscription id 200 (C8 01) | 23 topic alias 3 | 26 user x=y
        // payload "hi"
        (
            "publish-every-property",
            "3B 33 0003 612F62 000A 29 01 01 02 00000E10 03 0004 6A736F6E 08 0003 722F31 09 0003 010203 0B 01 0B C801 23 0003 26 0001 78 0001 79 6869",
            new PublishPacket(new MqttApplicationMessage("a/b", "hi"u8.ToArray(), 1, true) { Dup = true }, 10)
            {
                Properties = new()
                {
                    PayloadFormatIndicator = 1,
                    MessageExpiryInterval = 3600,
                    ContentType = "json",
                    ResponseTopic = "r/1",
                    CorrelationData = new byte[] { 1, 2, 3 },
                    SubscriptionIdentifiers = [1, 200],
                    TopicAlias = 3,
                    UserProperties = [new("x", "y")],
                },
            }),

        // QoS 2 | empty topic name, resolved through 23 topic alias 1 | id 0x1234 | payload "hi"
        (
            "publish-topic-alias",
            "34 0A 0000 1234 03 23 0001 6869",
            new PublishPacket(new MqttApplicationMessage("", "hi"u8.ToArray(), 2), 0x1234) { Properties = new() { TopicAlias = 1 } }),

        // acknowledgements: reason 00 and no properties leave only the id; a reason without properties leaves out the property length
        ("puback", "40 02 000A", new PubAckPacket(10)),
        ("puback-reason", "40 03 000A 10", new PubAckPacket(10) { ReasonCode = MqttReasonCode.NoMatchingSubscribers }),
        ("puback-success-with-properties", "40 09 000A 00 05 1F 0002 6F6B", new PubAckPacket(10) { Properties = new() { ReasonString = "ok" } }),

        // reason 87 | properties (12): 1F reason string "no" | 26 user a=b
        (
            "puback-refused",
            "40 10 000A 87 0C 1F 0002 6E6F 26 0001 61 0001 62",
            new PubAckPacket(10) { ReasonCode = MqttReasonCode.NotAuthorized, Properties = new() { ReasonString = "no", UserProperties = [new("a", "b")] } }),
        ("pubrec", "50 02 000A", new PubRecPacket(10)),
        ("pubrec-refused", "50 03 000A 80", new PubRecPacket(10) { ReasonCode = MqttReasonCode.UnspecifiedError }),
        ("pubrel", "62 02 000A", new PubRelPacket(10)),
        ("pubrel-not-found", "62 03 000A 92", new PubRelPacket(10) { ReasonCode = MqttReasonCode.PacketIdentifierNotFound }),
        ("pubcomp", "70 02 000A", new PubCompPacket(10)),
        (
            "pubcomp-not-found",
            "70 08 000A 92 04 1F 0001 78",
            new PubCompPacket(10) { ReasonCode = MqttReasonCode.PacketIdentifierNotFound, Properties = new() { ReasonString = "x" } }),

        // id 1 | no properties | "a" options 00
        ("subscribe-minimal", "82 07 0001 00 0001 61 00", new SubscribePacket(1, [new MqttSubscription("a", 0)])),

        // id 1 | properties (9): 0B subscription id 5 | 26 user a=b
        // "a/#" options 2D = retain handling 2 (20) | retain as published 08 | no local 04 | QoS 1; "b" options 12 = retain handling 1 | QoS 2
        (
            "subscribe-options",
            "82 16 0001 09 0B 05 26 0001 61 0001 62 0003 612F23 2D 0001 62 12",
            new SubscribePacket(1, [
                new MqttSubscription("a/#", 1) { NoLocal = true, RetainAsPublished = true, RetainHandling = 2 },
                new MqttSubscription("b", 2) { RetainHandling = 1 }])
            {
                Properties = new() { SubscriptionIdentifiers = [5], UserProperties = [new("a", "b")] },
            }),

        ("suback-minimal", "90 04 0001 00 02", new SubAckPacket(1, [2])),

        // id 1 | properties: 1F reason string "r" | codes: Granted QoS 1, Granted QoS 0, Not authorized, Wildcard Subscriptions not supported
        ("suback", "90 0B 0001 04 1F 0001 72 01 00 87 A2", new SubAckPacket(1, [1, 0, 0x87, 0xA2]) { Properties = new() { ReasonString = "r" } }),
        ("unsubscribe-minimal", "A2 08 0002 00 0003 612F23", new UnsubscribePacket(2, ["a/#"])),

        // id 2 | properties: 26 user a=b | filters "a/#", "b"
        (
            "unsubscribe",
            "A2 12 0002 07 26 0001 61 0001 62 0003 612F23 0001 62",
            new UnsubscribePacket(2, ["a/#", "b"]) { Properties = new() { UserProperties = [new("a", "b")] } }),
        ("unsuback-minimal", "B0 04 0002 00 00", new UnsubAckPacket(2) { ReasonCodes = [0] }),

        // id 2 | properties: 1F reason string "r" | codes: Success, No subscription existed
        ("unsuback", "B0 09 0002 04 1F 0001 72 00 11", new UnsubAckPacket(2) { ReasonCodes = [0, 0x11], Properties = new() { ReasonString = "r" } }),
        ("pingreq", "C0 00", PingReqPacket.Instance),
        ("pingresp", "D0 00", PingRespPacket.Instance),

        // Normal disconnection without properties: remaining length 0
        ("disconnect", "E0 00", DisconnectPacket.Instance),
        ("disconnect-with-will", "E0 01 04", new DisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage }),

        // reason 9C Use another server | properties (20): 11 session expiry 0 | 1C server reference "s" | 1F reason string "r" | 26 user a=b
        (
            "disconnect-every-property",
            "E0 16 9C 14 11 00000000 1C 0001 73 1F 0001 72 26 0001 61 0001 62",
            new DisconnectPacket
            {
                ReasonCode = MqttReasonCode.UseAnotherServer,
                Properties = new() { SessionExpiryInterval = 0, ServerReference = "s", ReasonString = "r", UserProperties = [new("a", "b")] },
            }),

        // Success without properties: remaining length 0
        ("auth", "F0 00", new AuthPacket()),

        // reason 19 Re-authenticate | empty property list (AUTH only omits both together)
        ("auth-reason-only", "F0 02 19 00", new AuthPacket(MqttReasonCode.ReAuthenticate)),

        // reason 18 Continue authentication | properties (19): 15 method "m" | 16 data 01 | 1F reason string "r" | 26 user a=b
        (
            "auth-every-property",
            "F0 15 18 13 15 0001 6D 16 0001 01 1F 0001 72 26 0001 61 0001 62",
            new AuthPacket(MqttReasonCode.ContinueAuthentication)
            {
                Properties = new() { AuthenticationMethod = "m", AuthenticationData = new byte[] { 1 }, ReasonString = "r", UserProperties = [new("a", "b")] },
            }),
    ];

    public static MqttPacket Packet(string name) => All.Single(c => c.Name == name).Packet;

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
