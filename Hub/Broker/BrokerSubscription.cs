using Hub.Mqtt;

namespace Hub.Broker;

/// <summary>One session's subscription as the index keeps it; <see cref="Filter"/> is without the <c>$share/GROUP/</c> prefix.</summary>
internal sealed record BrokerSubscription(BrokerSession Session, string Filter, string? ShareGroup, MqttSubscription Options, int? SubscriptionId)
{
    /// <summary>The filter as the client sent it (with the share prefix).</summary>
    public string FullFilter { get; } = ShareGroup is null ? Filter : $"$share/{ShareGroup}/{Filter}";

    public string? ShareKey { get; } = ShareGroup is null ? null : $"{ShareGroup}/{Filter}";
}
