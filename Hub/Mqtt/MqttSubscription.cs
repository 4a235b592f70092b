namespace Hub.Mqtt;

/// <summary>A topic filter and its requested QoS; MQTT 5.0 adds the other subscription options, ignored by 3.1.1.</summary>
public sealed record MqttSubscription(string Filter, int Qos)
{
    /// <summary>MQTT 5.0: do not send this client its own publications. A Protocol Error on a shared subscription.</summary>
    public bool NoLocal { get; init; }

    /// <summary>MQTT 5.0: keep the RETAIN flag as published instead of clearing it on forwarded messages.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>MQTT 5.0: 0 = send retained messages on subscribe, 1 = only if the subscription is new, 2 = never.</summary>
    public int RetainHandling { get; init; }

    public override string ToString() =>
        $"{Filter} qos={Qos}{(NoLocal ? " noLocal" : "")}{(RetainAsPublished ? " retainAsPublished" : "")}{(RetainHandling != 0 ? $" retainHandling={RetainHandling}" : "")}";
}
