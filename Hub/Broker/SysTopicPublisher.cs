using System.Globalization;
using System.Text;
using Hub.Mqtt.Packets;

namespace Hub.Broker;

/// <summary>Publishes broker statistics as retained <c>$SYS/broker/...</c> messages every <c>sys_interval</c>, with mosquitto's topic names.</summary>
internal sealed class SysTopicPublisher : IDisposable
{
    private readonly BrokerEngine _engine;
    private readonly ITimer _timer;

    public SysTopicPublisher(BrokerEngine engine, TimeSpan interval)
    {
        _engine = engine;
        Publish("$SYS/broker/version", $"hub broker {typeof(SysTopicPublisher).Assembly.GetName().Version}");
        _timer = engine.Time.CreateTimer(_ => PublishAll(), null, TimeSpan.Zero, interval);
    }

    public void PublishAll()
    {
        var s = _engine.Statistics;
        var sessions = _engine.SessionCount;
        Publish("$SYS/broker/uptime", $"{(long)(_engine.Time.GetUtcNow() - _engine.Started).TotalSeconds} seconds");
        Publish("$SYS/broker/clients/connected", s.ClientsConnected);
        Publish("$SYS/broker/clients/active", s.ClientsConnected);
        Publish("$SYS/broker/clients/total", sessions);
        Publish("$SYS/broker/clients/disconnected", Math.Max(0, sessions - s.ClientsConnected));
        Publish("$SYS/broker/clients/maximum", s.ClientsMaximum);
        Publish("$SYS/broker/messages/received", s.MessagesReceived);
        Publish("$SYS/broker/messages/sent", s.MessagesSent);
        Publish("$SYS/broker/publish/messages/received", s.MessagesReceived);
        Publish("$SYS/broker/publish/messages/sent", s.MessagesSent);
        Publish("$SYS/broker/publish/messages/dropped", s.MessagesDropped);
        Publish("$SYS/broker/bytes/received", s.BytesReceived);
        Publish("$SYS/broker/bytes/sent", s.BytesSent);
        Publish("$SYS/broker/retained messages/count", _engine.Retained.All.Count(m => !m.Topic.StartsWith("$SYS", StringComparison.Ordinal)));
        Publish("$SYS/broker/subscriptions/count", _engine.Index.Count);
        Publish("$SYS/broker/connections/protocol_errors", s.ProtocolErrors);
        Publish("$SYS/broker/connections/refused", s.ConnectionsRefused);
        Publish("$SYS/broker/connections/pending", s.PendingConnections);
        Publish("$SYS/broker/connections/pending/bytes", s.PendingInputBytes);
        foreach (var reason in Enum.GetValues<BrokerCloseReason>())
        {
            Publish($"$SYS/broker/connections/closed/{SnakeCase(reason.ToString())}", s.Closed(reason));
        }
    }

    /// <summary><c>NotConnectFirst</c> → <c>not_connect_first</c>.</summary>
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private void Publish(string topic, long value) => Publish(topic, value.ToString(CultureInfo.InvariantCulture));

    private void Publish(string topic, string value) =>
        _engine.Publish(new BrokerMessage(topic, Encoding.UTF8.GetBytes(value), 0, true, MqttProperties.None, null, null));

    public void Dispose() => _timer.Dispose();
}
