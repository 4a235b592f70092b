using Hub.Broker.Security;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>
/// The broker without its listeners: sessions, the subscription index, retained messages, wills. Every
/// connection (TCP, TLS, in-process pipe) comes in through <see cref="RunConnectionAsync"/>.
/// </summary>
internal sealed partial class BrokerEngine
{
    private readonly Lock _sessionsGate = new();
    private readonly Dictionary<string, BrokerSession> _sessions = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<BrokerConnection, byte> _open = new();
    private int _connections;

    public BrokerEngine(BrokerOptions options, ILogger logger, TimeProvider? time = null, IBrokerSecurity? security = null)
    {
        Options = options;
        Logger = logger;
        Time = time ?? TimeProvider.System;
        Security = security ?? new AllowAllSecurity();
        Started = Time.GetUtcNow();
    }

    public BrokerOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public IBrokerSecurity Security { get; }

    public BrokerStatistics Statistics { get; } = new();

    public SubscriptionIndex Index { get; } = new();

    public RetainedStore Retained { get; } = new();

    public DateTimeOffset Started { get; }

    /// <summary>Open connections (all listeners and in-process), CONNECT sent or not.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>The open connections now, with what each holds (<see cref="BrokerConnection.InputBufferedBytes"/>, <see cref="BrokerConnection.OutputBufferedBytes"/>).</summary>
    public IReadOnlyList<BrokerConnection> OpenConnections => [.. _open.Keys];

    public int SessionCount { get { lock (_sessionsGate) { return _sessions.Count; } } }

    public List<BrokerSession> Sessions { get { lock (_sessionsGate) { return [.. _sessions.Values]; } } }

    /// <summary>Serves one client connection until it ends. Over <c>max_connections</c> it is closed at once.</summary>
    public async Task RunConnectionAsync(ITransportConnection transport, string remote, CancellationToken stopping)
    {
        if (!TryAdmit(remote))
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await RunAdmittedAsync(transport, remote, stopping).ConfigureAwait(false);
    }

    /// <summary>Takes one of the <c>max_connections</c> places (a TLS listener does so before its handshake); false (counted, logged) when none is left.</summary>
    public bool TryAdmit(string remote)
    {
        if (Interlocked.Increment(ref _connections) <= Options.MaxConnections)
        {
            return true;
        }

        Interlocked.Decrement(ref _connections);
        Statistics.Refused();
        Statistics.ConnectionClosed(BrokerCloseReason.MaxConnections);
        Logger.LogWarning("Refused a connection from {Remote}: max_connections ({Max}) reached", remote, Options.MaxConnections);
        return false;
    }

    /// <summary>Gives back a place taken by <see cref="TryAdmit"/> whose connection never ran (a failed TLS handshake).</summary>
    public void Release() => Interlocked.Decrement(ref _connections);

    /// <summary>Serves a connection admitted by <see cref="TryAdmit"/> until it ends, then gives its place back.</summary>
    public async Task RunAdmittedAsync(ITransportConnection transport, string remote, CancellationToken stopping)
    {
        var connection = new BrokerConnection(this, transport, remote);
        _open[connection] = 0;
        try
        {
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            _open.TryRemove(connection, out _);
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>
    /// Gives the connection its session: takes it over from an older connection of the same client id (closed
    /// with 0x8E), or starts a new one. The CONNACK is queued before any resumed message.
    /// </summary>
    public BrokerSession Attach(BrokerConnection connection, bool cleanStart, uint expiry, Func<bool, ConnAckPacket> connAck)
    {
        lock (_sessionsGate)
        {
            _sessions.TryGetValue(connection.ClientId, out var session);
            if (session is not null)
            {
                session.WillTimer?.Dispose();
                session.WillTimer = null;
                session.PendingWill = null;
                session.ExpiryTimer?.Dispose();
                session.ExpiryTimer = null;
                if (session.Connection is { } old)
                {
                    Logger.LogInformation("Client {ClientId} connected again from {Remote}: closing its older connection from {Old}", connection.ClientId, connection.Remote, old.Remote);
                    old.Close(MqttReasonCode.SessionTakenOver, "session taken over", BrokerCloseReason.TakenOver);
                }

                if (cleanStart)
                {
                    RemoveSession(session);
                    session = null;
                }
            }

            var present = session is not null;
            if (session is null)
            {
                session = new BrokerSession(connection.ClientId, Options);
                _sessions[connection.ClientId] = session;
            }

            session.ExpiryInterval = expiry;
            session.Username = connection.Username;
            session.Dirty = true;
            Statistics.Connected();
            connection.Enqueue(connAck(present));
            session.Attach(connection);
            return session;
        }
    }

    /// <summary>The connection ended: will, session expiry, shared-subscription messages it left unacknowledged.</summary>
    public void OnConnectionClosed(BrokerConnection connection, bool sendWill)
    {
        var session = connection.Session;
        if (session is null)
        {
            return;
        }

        Statistics.Disconnected();
        List<OutgoingMessage> orphans;
        bool resumedElsewhere;
        bool sessionEnded;
        lock (_sessionsGate)
        {
            orphans = session.Detach(connection);
            resumedElsewhere = session.IsConnected;
            if (!resumedElsewhere)
            {
                EndOrKeep(session);
            }

            sessionEnded = !_sessions.ContainsKey(session.ClientId);
        }

        foreach (var orphan in orphans)
        {
            RedeliverShared(orphan, session);
        }

        if (sendWill && connection.Will is not null)
        {
            var delay = connection.WillProperties.WillDelayInterval ?? 0;
            if (delay == 0 || sessionEnded)
            {
                PublishWill(connection);
            }
            else if (!resumedElsewhere)
            {
                lock (_sessionsGate)
                {
                    // The will waits for its delay; a reconnect of the client (Attach) cancels it, the session's end sends it earlier.
                    session.WillTimer = Time.CreateTimer(_ => FireWill(session, connection), null, TimeSpan.FromSeconds(Math.Min(delay, session.ExpiryInterval)), Timeout.InfiniteTimeSpan);
                    session.PendingWill = connection;
                }
            }
        }
    }

    private void FireWill(BrokerSession session, BrokerConnection connection)
    {
        lock (_sessionsGate)
        {
            if (!ReferenceEquals(session.PendingWill, connection))
            {
                return;
            }

            session.PendingWill = null;
            session.WillTimer?.Dispose();
            session.WillTimer = null;
        }

        PublishWill(connection);
    }

    private void PublishWill(BrokerConnection connection)
    {
        var will = connection.Will!;
        if (!Security.CanPublish(connection.ClientId, connection.Username, will.Topic))
        {
            return;
        }

        var properties = connection.WillProperties with { WillDelayInterval = null, MessageExpiryInterval = null };
        DateTimeOffset? expiresAt = connection.WillProperties.MessageExpiryInterval is { } seconds ? Time.GetUtcNow().AddSeconds(seconds) : null;
        Logger.LogDebug("Publishing the will of {ClientId} to {Topic}", connection.ClientId, will.Topic);
        Publish(new BrokerMessage(will.Topic, will.Payload, will.Qos, will.Retain, properties, connection.ClientId, expiresAt));
    }

    /// <summary>Caller holds the sessions gate. A session with expiry 0 ends now; a finite one gets a timer.</summary>
    private void EndOrKeep(BrokerSession session)
    {
        if (session.ExpiryInterval == 0)
        {
            RemoveSession(session);
        }
        else if (session.ExpiryInterval != uint.MaxValue)
        {
            session.ExpiryTimer = Time.CreateTimer(_ => Expire(session), null, TimeSpan.FromSeconds(session.ExpiryInterval), Timeout.InfiniteTimeSpan);
        }
    }

    private void Expire(BrokerSession session)
    {
        BrokerConnection? pendingWill;
        lock (_sessionsGate)
        {
            if (session.IsConnected || !_sessions.TryGetValue(session.ClientId, out var current) || !ReferenceEquals(current, session))
            {
                return;
            }

            Logger.LogInformation("Session of {ClientId} expired", session.ClientId);
            pendingWill = session.PendingWill;
            RemoveSession(session);
        }

        if (pendingWill is not null)
        {
            PublishWill(pendingWill);
        }
    }

    /// <summary>Caller holds the sessions gate.</summary>
    private void RemoveSession(BrokerSession session)
    {
        if (_sessions.TryGetValue(session.ClientId, out var current) && ReferenceEquals(current, session))
        {
            _sessions.Remove(session.ClientId);
        }

        session.ExpiryTimer?.Dispose();
        session.ExpiryTimer = null;
        session.WillTimer?.Dispose();
        session.WillTimer = null;
        List<BrokerSubscription> subscriptions;
        lock (session.Gate)
        {
            subscriptions = [.. session.Subscriptions.Values];
            session.Subscriptions.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            Index.Remove(session, subscription.Filter, subscription.ShareGroup);
        }

        SessionsRemoved = true;
    }

    /// <summary>Set when a session ended, so persistence rewrites the session file.</summary>
    public bool SessionsRemoved { get; set; }

    /// <summary>Adds a session restored from disk.</summary>
    public void Restore(BrokerSession session)
    {
        lock (_sessionsGate)
        {
            _sessions[session.ClientId] = session;
            foreach (var subscription in session.Subscriptions.Values)
            {
                Index.Add(subscription);
            }

            EndOrKeep(session);
        }
    }
}
