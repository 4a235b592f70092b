using Hub.Diagnostics;

namespace Hub.Web;

/// <summary>The body of <c>/api/status</c> and <c>/ready</c> (serialized with snake_case names).</summary>
internal static class StatusReport
{
    public static object Status(HubObserver hub)
    {
        var runtime = hub.Runtime;
        var config = runtime.Config;
        var statistics = runtime.Statistics;
        var refused = hub.Refused();
        return new
        {
            Version = typeof(StatusReport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            StartedAt = hub.StartedAt,
            UptimeSeconds = Math.Round(hub.Uptime.TotalSeconds, 3),
            Config = new { File = config.FilePath, LoadedAt = config.LoadedAt, Reloads = runtime.Reloads },
            Broker = new
            {
                Connected = runtime.IsConnected,
                Embedded = hub.Broker is { } b
                    ? new { Clients = b.ClientsConnected, MessagesReceived = b.MessagesReceived, MessagesSent = b.MessagesSent, MessagesDropped = b.MessagesDropped }
                    : null,
            },
            Messages = new
            {
                statistics.Received,
                statistics.Routed,
                statistics.Filtered,
                statistics.Unmatched,
                Refused = refused.ByReason().ToDictionary(r => r.Reason, r => r.Count),
            },
            Routes = config.Sections.Select(s => statistics.Routes.GetValueOrDefault(s.Name) is { } r
                ? new { Name = s.Name, Topic = s.Topic, r.Matched, r.Filtered, r.Notifications }
                : new { Name = s.Name, Topic = s.Topic, Matched = 0L, Filtered = 0L, Notifications = 0L }),
            Targets = hub.Targets().Select(t => new
            {
                t.Name,
                t.Service,
                t.Target,
                t.Failing,
                t.QueueDepth,
                t.JournalBytes,
                t.Totals.Queued,
                t.Totals.Delivered,
                t.Totals.Failed,
                t.Totals.Retried,
                t.Totals.DeadLettered,
                t.Totals.FailedOver,
                t.Totals.Dropped,
                t.Totals.Deduplicated,
                t.Totals.TimedOut,
            }),
        };
    }

    public static object Ready(IReadOnlyList<string> reasons) => new { Ready = reasons.Count == 0, Reasons = reasons };
}
