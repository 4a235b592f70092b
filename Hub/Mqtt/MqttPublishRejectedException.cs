namespace Hub.Mqtt;

/// <summary>
/// One outgoing message was refused: by the broker's PUBACK/PUBREC reason code (MQTT 5.0), or locally because it
/// breaks a limit the broker announced (Maximum Packet Size). The connection stays up.
/// </summary>
/// <param name="reasonCode">The broker's reason code (0x80 and up), or null for a local refusal.</param>
/// <param name="isTransient">True when sending the same message later may succeed (e.g. 0x97 Quota exceeded).</param>
public sealed class MqttPublishRejectedException(string message, int? reasonCode = null, bool isTransient = false) : Exception(message)
{
    public int? ReasonCode { get; } = reasonCode;

    public bool IsTransient { get; } = isTransient;
}
