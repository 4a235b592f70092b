namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>zabbix</c> plugin (<c>[config:NAME]</c>), mqttwarn's names.</summary>
public sealed class ZabbixOptions : IValidatableOptions
{
    [Option(Description = "the Zabbix host that owns the low-level discovery rule")]
    public string Host { get; set; } = "MQTT_BUS";

    [Option(Description = "the key of the low-level discovery rule that learns the clients")]
    public string DiscoveryKey { get; set; } = "mqtt.discovery";

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new OptionProblem("host", "must not be empty");
        }

        if (string.IsNullOrWhiteSpace(DiscoveryKey))
        {
            yield return new OptionProblem("discovery_key", "must not be empty");
        }
    }
}
