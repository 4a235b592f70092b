using Hub.Config;
using Hub.Mqtt;

namespace Hub.Runtime;

/// <summary>The record rules' topics the topic sections do not subscribe to already: the hub subscribes to them as well (QoS 0).</summary>
internal static class HistorySubscriptions
{
    public static IEnumerable<MqttSubscription> Extra(HubConfig config) =>
        (config.History?.Rules ?? [])
            .Select(r => r.Topic)
            .Distinct(StringComparer.Ordinal)
            .Where(topic => !config.Sections.Any(s => s.SubscriptionFilter == topic))
            .Select(topic => new MqttSubscription(topic, 0));
}
