namespace Hub.Plugins.Bridges;

/// <summary>
/// Options of the <c>mqttpub</c> plugin: none. It publishes on the hub's own broker connection
/// (<c>[defaults]</c>); topic, QoS and retain are in each target.
/// </summary>
public sealed class MqttPubSinkOptions;
