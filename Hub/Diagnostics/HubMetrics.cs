using System.Diagnostics.Metrics;

namespace Hub.Diagnostics;

/// <summary>
/// Every counter the hub keeps, on one <see cref="Meter"/> named <c>Hub</c>: observable instruments that read the
/// existing counter classes through <see cref="HubObserver"/> when an exporter collects, so the message path pays
/// nothing for them. Each hub (and each test host) has its own meter instance.
/// </summary>
internal sealed class HubMetrics : IDisposable
{
    public const string MeterName = "Hub";

    public HubMetrics(HubObserver hub)
    {
        Meter = new Meter(MeterName, typeof(HubMetrics).Assembly.GetName().Version?.ToString(3));
        var statistics = hub.Runtime.Statistics;
        Counter("messages_received", "Messages received from the broker", () => statistics.Received);
        Counter("messages_routed", "Messages that produced at least one notification", () => statistics.Routed);
        Counter("messages_filtered", "Messages a route matched that produced no notification (filter, stage, nothing to send)", () => statistics.Filtered);
        Counter("messages_unmatched", "Messages no route matched", () => statistics.Unmatched);
        Meter.CreateObservableCounter("messages_refused", () => hub.Refused().ByReason().Select(r => Measure(r.Count, ("reason", r.Reason))),
            description: "Inputs refused or repaired, by reason (each is also logged)");
        Meter.CreateObservableCounter("route_matched", () => statistics.Routes.Select(r => Measure(r.Value.Matched, ("route", r.Key))),
            description: "Messages each route (topic section) matched");
        Meter.CreateObservableCounter("route_filtered", () => statistics.Routes.Select(r => Measure(r.Value.Filtered, ("route", r.Key))),
            description: "Messages each route matched that produced no notification");
        Meter.CreateObservableCounter("route_notifications", () => statistics.Routes.Select(r => Measure(r.Value.Notifications, ("route", r.Key))),
            description: "Notifications each route handed to its targets");
        Counter("reloads", "Configuration reloads that took effect", () => hub.Runtime.Reloads);
        Meter.CreateObservableGauge("broker_connected", () => hub.Runtime.IsConnected ? 1 : 0, description: "1 while the hub's session is connected to the broker");
        Counter("web_unauthorized_requests", "Requests to the web endpoint refused for a missing or wrong token", () => hub.Unauthorized);
        TargetInstruments(hub);
        BrokerInstruments(hub);
    }

    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    private void TargetInstruments(HubObserver hub)
    {
        TargetCounter(hub, "target_queued", "Notifications queued for each target", t => t.Queued);
        TargetCounter(hub, "target_delivered", "Notifications each target delivered", t => t.Delivered);
        TargetCounter(hub, "target_failed", "Notifications each target gave up on that no failover target took", t => t.Failed);
        TargetCounter(hub, "target_retried", "Retries each target scheduled", t => t.Retried);
        TargetCounter(hub, "target_dead_lettered", "Notifications each target kept as dead letters", t => t.DeadLettered);
        TargetCounter(hub, "target_failed_over", "Notifications each target handed to a failover target", t => t.FailedOver);
        TargetCounter(hub, "target_dropped", "Notifications dropped unsent because the target's queue was full while it was failing", t => t.Dropped);
        TargetCounter(hub, "target_deduplicated", "Notifications not sent because an identical one was sent within the dedup window", t => t.Deduplicated);
        TargetCounter(hub, "target_timed_out", "Attempts that did not finish within the timeout", t => t.TimedOut);
        Meter.CreateObservableGauge("target_queue_depth", () => hub.Targets().Select(t => Measure(t.QueueDepth, Tags(t))),
            description: "Notifications waiting in each target's queue");
        Meter.CreateObservableGauge("target_journal_bytes", () => hub.Targets().Select(t => Measure(t.JournalBytes, Tags(t))),
            unit: "By", description: "Bytes of undelivered notifications in each durable target's journal");
        Meter.CreateObservableGauge("target_failing", () => hub.Targets().Select(t => Measure(t.Failing ? 1 : 0, Tags(t))),
            description: "1 while a target is giving up on notifications");
    }

    private void BrokerInstruments(HubObserver hub)
    {
        Meter.CreateObservableGauge("broker_clients", () => hub.Broker is { } b ? [new Measurement<long>(b.ClientsConnected)] : Array.Empty<Measurement<long>>(),
            description: "Clients connected to the embedded broker");
        BrokerCounter(hub, "broker_messages_received", "Messages the embedded broker received", b => b.MessagesReceived);
        BrokerCounter(hub, "broker_messages_sent", "Messages the embedded broker sent", b => b.MessagesSent);
        BrokerCounter(hub, "broker_messages_dropped", "Messages the embedded broker dropped (a client's queue full, or QoS 0 while it was offline)", b => b.MessagesDropped);
        BrokerCounter(hub, "broker_bytes_received", "Bytes the embedded broker received", b => b.BytesReceived);
        BrokerCounter(hub, "broker_bytes_sent", "Bytes the embedded broker sent", b => b.BytesSent);
        BrokerCounter(hub, "broker_connections_refused", "Connections the embedded broker refused", b => b.ConnectionsRefused);
    }

    private void Counter(string name, string description, Func<long> read) =>
        Meter.CreateObservableCounter(name, read, description: description);

    private void TargetCounter(HubObserver hub, string name, string description, Func<TargetTotals, long> read) =>
        Meter.CreateObservableCounter(name, () => hub.Targets().Select(t => Measure(read(t.Totals), Tags(t))), description: description);

    private void BrokerCounter(HubObserver hub, string name, string description, Func<Broker.BrokerStatistics, long> read) =>
        Meter.CreateObservableCounter(name, () => hub.Broker is { } b ? [new Measurement<long>(read(b))] : Array.Empty<Measurement<long>>(), description: description);

    private static (string, object?)[] Tags(TargetState target) => [("service", target.Service), ("target", target.Target ?? "")];

    private static Measurement<long> Measure(long value, params (string Key, object? Value)[] tags) =>
        new(value, tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)).ToArray());
}
