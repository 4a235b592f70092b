namespace Hub.Mqtt;

/// <summary>A connection attempt failed; the message says why in words (e.g. "Connection refused - bad user name or password").</summary>
public sealed class MqttConnectException(string message, Exception? inner = null) : Exception(message, inner);
