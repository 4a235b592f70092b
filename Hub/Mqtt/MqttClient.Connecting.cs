using System.Net.Sockets;
using System.Security.Authentication;
using Hub.Mqtt.Framing;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Session;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Mqtt;

/// <summary>Connecting, resubscribing, and the reconnect loop.</summary>
public sealed partial class MqttClient
{
    private string Version => _options.ProtocolLevel switch { 3 => "3.1", 5 => "5.0", _ => "3.1.1" };

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectMinDelay, _options.ReconnectMaxDelay);
        while (!cancellationToken.IsCancellationRequested)
        {
            MqttConnection connection;
            try
            {
                connection = await EstablishAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // whatever failed, the loop keeps trying; the reason is logged
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = backoff.Next();
                var failure = ex is MqttConnectException ? ex.Message : $"Cannot connect to MQTT broker at {_transport.Endpoint}: {ex.Message}";
                _logger.LogWarning("{Reason}; retrying in {Delay:0.#}s", failure, delay.TotalSeconds);
                if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            backoff.Reset();
            string reason;
            try
            {
                reason = await connection.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var next = backoff.Next();
            _logger.LogWarning("Connection to MQTT broker at {Endpoint} lost: {Reason}; reconnecting in {Delay:0.#}s", _transport.Endpoint, reason, next.TotalSeconds);
            try
            {
                ConnectionLost?.Invoke(reason, next);
            }
#pragma warning disable CA1031 // a failing callback must not end the reconnect loop
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "The ConnectionLost callback failed");
            }

            if (!await DelayAsync(next, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<MqttConnection> EstablishAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var (transport, connAck) = await OpenAsync(linked.Token, timeout, cancellationToken).ConfigureAwait(false);

        var connection = new MqttConnection(
            transport,
            _formatter,
            _session,
            new MqttConnectionSettings(
                TimeSpan.FromSeconds(KeepAlive(connAck)),
                _options.PingTimeout ?? TimeSpan.FromSeconds(Math.Max(1, KeepAlive(connAck))),
                _options.MaxPacketSize,
                _options.InboundQueueCapacity)
            {
                InboundTopicAliasMaximum = _options.ProtocolLevel < 5 ? 0 : AnnouncedTopicAliasMaximum,
                OutboundTopicAliasMaximum = _options.ProtocolLevel < 5 || !_options.UseTopicAliases ? 0 : connAck.Properties.TopicAliasMaximum ?? 0,
                ServerMaximumPacketSize = _options.ProtocolLevel < 5 ? null : connAck.Properties.MaximumPacketSize,
                InboundReceiveMaximum = _options.ProtocolLevel < 5 ? 0 : AnnouncedReceiveMaximum,
                HandsOn = MessageAccepting is not null,
            },
            HandleMessageAsync,
            _time,
            _logger);

        // MQTT 5.0: never more unacknowledged QoS 1/2 PUBLISHes than the broker's Receive Maximum.
        _session.LimitInflight(_options.ProtocolLevel < 5 ? null : connAck.Properties.ReceiveMaximum);

        // Retransmission comes first on the new connection, in the original order.
        foreach (var packet in _session.PrepareRetransmission(connAck.SessionPresent))
        {
            connection.Enqueue(packet);
        }

        connection.Start();
        try
        {
            await SubscribeAllAsync(connection, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new MqttConnectException($"Cannot connect to MQTT broker at {_transport.Endpoint}: subscribing failed: {ex.Message}", ex);
        }

        bool stopping;
        lock (_gate)
        {
            stopping = cancellationToken.IsCancellationRequested || _stopped;
            if (!stopping)
            {
                _connection = connection;
                _connected.TrySetResult(connection);
            }
        }

        if (stopping)
        {
            // StopAsync ran while this connection was being set up: end it properly.
            await connection.DisconnectAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException("The MQTT client is stopping.", cancellationToken);
        }

        _logger.LogInformation(
            "Connected to MQTT broker at {Endpoint} (MQTT {Version}, client id {ClientId}, session present: {SessionPresent})",
            _transport.Endpoint, Version, _options.ClientId, connAck.SessionPresent);
        if (Connected is { } connected)
        {
            try
            {
                await connected(connAck.SessionPresent, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a failing callback must not drop a good connection
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "The Connected callback failed");
            }
        }

        return connection;
    }

    private async Task<(ITransportConnection Transport, ConnAckPacket ConnAck)> OpenAsync(
        CancellationToken token, CancellationTokenSource timeout, CancellationToken callerToken)
    {
        ITransportConnection? transport = null;
        try
        {
            transport = await _transport.ConnectAsync(token).ConfigureAwait(false);
            var connAck = await MqttHandshake.RunAsync(transport, _formatter, BuildConnect(), _options.MaxPacketSize, _logger, token).ConfigureAwait(false);
            if (connAck.ReturnCode != 0)
            {
                throw new MqttConnectException(Refusal(connAck));
            }

            return (transport, connAck);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !callerToken.IsCancellationRequested)
        {
            if (transport is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }

            var reason = ex is OperationCanceledException
                ? $"no answer within {_options.ConnectTimeout.TotalSeconds:0.#}s"
                : ex.Message;
            throw new MqttConnectException($"Cannot connect to MQTT broker at {_transport.Endpoint}: {reason}", ex);
        }
        catch
        {
            if (transport is not null)
            {
                await transport.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private ConnectPacket BuildConnect() => new(
        _options.ProtocolLevel,
        _options.ClientId,
        (ushort)Math.Clamp(_options.KeepAliveSeconds, 0, ushort.MaxValue),
        _options.CleanSession,
        _options.Username,
        _options.Username is null ? null : _options.Password,
        _options.Will)
    {
        // MQTT 5.0: a persistent session needs an expiry (3.1.1's sessions never expire: the same by default);
        // our maximum packet size is announced so the broker never sends more; so are our receive maximum
        // (no more unacknowledged messages than the inbound queue holds) and topic alias maximum.
        Properties = _options.ProtocolLevel < 5 ? MqttProperties.None : new MqttProperties
        {
            SessionExpiryInterval = (_options.SessionExpiryInterval ?? (_options.CleanSession ? 0u : uint.MaxValue)) is var expiry && expiry > 0 ? expiry : null,
            MaximumPacketSize = _options.MaxPacketSize < 268_435_455 ? (uint)_options.MaxPacketSize : null,
            ReceiveMaximum = AnnouncedReceiveMaximum < ushort.MaxValue ? (ushort)AnnouncedReceiveMaximum : null,
            TopicAliasMaximum = AnnouncedTopicAliasMaximum > 0 ? (ushort)AnnouncedTopicAliasMaximum : null,
        },
    };

    private int AnnouncedReceiveMaximum => Math.Clamp(_options.ReceiveMaximum ?? _options.InboundQueueCapacity, 1, ushort.MaxValue);

    private int AnnouncedTopicAliasMaximum => Math.Clamp(_options.TopicAliasMaximum, 0, ushort.MaxValue);

    /// <summary>The keep-alive in force: MQTT 5.0's Server Keep Alive overrides ours.</summary>
    private int KeepAlive(ConnAckPacket connAck) => connAck.Properties.ServerKeepAlive is { } server ? server : _options.KeepAliveSeconds;

    /// <summary>A refused CONNACK in words: 3.1.1's return codes, or 5.0's reason code and reason string.</summary>
    private string Refusal(ConnAckPacket connAck) => _options.ProtocolLevel < 5
        ? ConnAckMessages.Describe(connAck.ReturnCode)
        : $"Connection refused - {MqttReasonCodes.Describe(MqttPacketType.ConnAck, connAck.ReturnCode)} (reason code 0x{connAck.ReturnCode:X2})"
          + (connAck.Properties.ReasonString is { Length: > 0 } reason ? $": {reason}" : "");

    private async Task SubscribeAllAsync(MqttConnection connection, CancellationToken cancellationToken)
    {
        var subscriptions = Subscriptions;
        if (subscriptions.Count == 0)
        {
            return;
        }

        var response = await connection.RequestAsync(id => new SubscribePacket(id, subscriptions), cancellationToken).ConfigureAwait(false);
        if (response is not SubAckPacket subAck || subAck.ReturnCodes.Count != subscriptions.Count)
        {
            throw new MqttProtocolException($"SUBACK does not match the SUBSCRIBE of {subscriptions.Count} filters: {response}");
        }

        for (var i = 0; i < subscriptions.Count; i++)
        {
            var code = subAck.ReturnCodes[i];
            if (code >= SubAckPacket.Failure)
            {
                _logger.LogWarning("The broker refused the subscription to {Filter} (SUBACK 0x{Code:X2}{Reason})", subscriptions[i].Filter, code,
                    _options.ProtocolLevel < 5 ? "" : ": " + MqttReasonCodes.Describe(MqttPacketType.SubAck, code));
            }
            else if (code < subscriptions[i].Qos)
            {
                _logger.LogInformation("Subscribed to {Filter} with QoS {Granted} instead of {Requested}", subscriptions[i].Filter, code, subscriptions[i].Qos);
            }
            else
            {
                _logger.LogDebug("Subscribed to {Filter} with QoS {Granted}", subscriptions[i].Filter, code);
            }
        }
    }
}
