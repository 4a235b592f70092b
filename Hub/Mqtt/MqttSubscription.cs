namespace Hub.Mqtt;

/// <summary>A topic filter and its requested QoS.</summary>
public sealed record MqttSubscription(string Filter, int Qos);
