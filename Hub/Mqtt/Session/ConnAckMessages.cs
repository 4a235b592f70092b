namespace Hub.Mqtt.Session;

/// <summary>CONNACK return codes in words, as mosquitto's tools print them.</summary>
internal static class ConnAckMessages
{
    public static string Describe(byte returnCode) => returnCode switch
    {
        0 => "Connection accepted",
        1 => "Connection refused - unacceptable protocol version",
        2 => "Connection refused - identifier rejected",
        3 => "Connection refused - server unavailable",
        4 => "Connection refused - bad user name or password",
        5 => "Connection refused - not authorised",
        _ => $"Connection failed - result code {returnCode}",
    };
}
