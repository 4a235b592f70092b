using System.Buffers;
using System.Text;
using Hub.Mqtt;
using Hub.Mqtt.Codec;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>CONNECT: protocol, client id, credentials, session, CONNACK.</summary>
internal sealed partial class BrokerConnection
{
    private void HandleConnect(in MqttFrame frame)
    {
        if (frame.Type != MqttPacketType.Connect)
        {
            throw new MqttProtocolException($"Protocol error: {frame.Type} before CONNECT.", MqttReasonCode.ProtocolError);
        }

        var (name, level) = PeekProtocol(frame.Body);
        if (!(name == "MQTT" && level is 4 or 5) && !(name == "MQIsdp" && level == 3))
        {
            if (name is "MQTT" or "MQIsdp")
            {
                // §3.1.2.2: an unsupported level gets CONNACK 0x01 (0x84 in 5.0 terms) before the close.
                Refuse(level == 5 ? (byte)MqttReasonCode.UnsupportedProtocolVersion : (byte)1, $"unsupported protocol {name} level {level}");
                return;
            }

            throw new MqttProtocolException($"Malformed CONNECT: protocol name '{name}'.");
        }

        _formatter = MqttPacketFormatters.For(level);
        IsVersion5 = level == 5;
        ConnectPacket connect;
        try
        {
            connect = (ConnectPacket)_formatter.Decode(frame);
        }
        catch (MqttProtocolException ex) when (IsVersion5)
        {
            Enqueue(new ConnAckPacket(false, (byte)ex.ReasonCode));
            throw;
        }

        _connectTimer?.Dispose();
        Accept(connect);
        if (Session is not null)
        {
            LeavePending();
        }
    }

    private void Accept(ConnectPacket connect)
    {
        var clientId = connect.ClientId;
        string? assigned = null;
        if (clientId.Length == 0)
        {
            if (!IsVersion5 && (!connect.CleanSession || connect.ProtocolLevel == 3))
            {
                Refuse(2, "empty client id without a clean session");
                return;
            }

            clientId = assigned = $"auto-{Guid.NewGuid():N}";
        }

        if (connect.Will is { } will && (will.Topic.Length == 0 || will.Topic.AsSpan().IndexOfAny('+', '#') >= 0))
        {
            throw new MqttProtocolException($"Malformed CONNECT: will topic '{will.Topic}'.");
        }

        if (IsVersion5 && connect.Properties.AuthenticationMethod is not null)
        {
            Refuse((byte)MqttReasonCode.BadAuthenticationMethod, "enhanced authentication is not supported");
            return;
        }

        ClientId = clientId;
        Username = connect.Username;
        var password = connect.Password is null ? [] : Encoding.UTF8.GetBytes(connect.Password);
        if (!_engine.Security.Authenticate(clientId, connect.Username, password))
        {
            var badPassword = connect.Username is not null;
            Refuse(IsVersion5 ? (byte)(badPassword ? MqttReasonCode.BadUserNameOrPassword : MqttReasonCode.NotAuthorized) : (byte)(badPassword ? 4 : 5),
                badPassword ? $"bad user name or password (user {connect.Username})" : "anonymous clients are not allowed");
            return;
        }

        SendWindow = Math.Max(1, Math.Min(_engine.Options.MaxInflight, (int)(connect.Properties.ReceiveMaximum ?? ushort.MaxValue)));
        _clientMaxPacketSize = IsVersion5 ? connect.Properties.MaximumPacketSize : null;
        Will = connect.Will;
        WillProperties = connect.WillProperties;
        var expiry = IsVersion5 ? connect.Properties.SessionExpiryInterval ?? 0 : connect.CleanSession ? 0 : uint.MaxValue;
        Session = _engine.Attach(this, connect.CleanSession, expiry, present => new ConnAckPacket(present, 0)
        {
            Properties = IsVersion5
                ? new MqttProperties
                {
                    AssignedClientIdentifier = assigned,
                    TopicAliasMaximum = _engine.Options.TopicAliasMaximum,
                    ReceiveMaximum = (ushort)Math.Min(ushort.MaxValue, _engine.Options.MaxInflight),
                    MaximumPacketSize = (uint)_engine.Options.MaxPacketSize,
                }
                : MqttProperties.None,
        });
        if (connect.KeepAliveSeconds > 0)
        {
            var limit = TimeSpan.FromSeconds(connect.KeepAliveSeconds * 1.5);
            var tick = TimeSpan.FromSeconds(Math.Max(1, connect.KeepAliveSeconds / 2.0));
            _keepAliveTimer = _engine.Time.CreateTimer(_ => OnKeepAliveTick(limit), null, tick, tick);
        }

        Logger.LogInformation("Client {Client} connected (MQTT {Version}, clean={Clean}, keep-alive {KeepAlive}s)",
            Who, connect.ProtocolLevel switch { 3 => "3.1", 4 => "3.1.1", _ => "5.0" }, connect.CleanSession, connect.KeepAliveSeconds);
    }

    private void Refuse(byte code, string why)
    {
        _engine.Statistics.Refused();
        Logger.LogInformation("Refused the connection of {Client}: {Reason}", Who, why);
        Enqueue(new ConnAckPacket(false, code));
        Close(null, why, BrokerCloseReason.Refused, logged: true);
    }

    /// <summary>The protocol name and level at the start of a CONNECT body, before picking the formatter.</summary>
    private static (string Name, int Level) PeekProtocol(ReadOnlySequence<byte> body)
    {
        Span<byte> head = stackalloc byte[9];
        var length = (int)Math.Min(body.Length, head.Length);
        body.Slice(0, length).CopyTo(head);
        if (length < 3)
        {
            throw new MqttProtocolException("Malformed CONNECT: too short.");
        }

        var nameLength = (head[0] << 8) | head[1];
        if (nameLength is not (4 or 6) || length < 2 + nameLength + 1)
        {
            throw new MqttProtocolException("Malformed CONNECT: no MQTT protocol name.");
        }

        return (Encoding.ASCII.GetString(head.Slice(2, nameLength)), head[2 + nameLength]);
    }
}
