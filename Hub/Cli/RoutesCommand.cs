using Hub.Config;
using Hub.Config.Values;
using Hub.Delivery;
using Hub.Formatting;
using Hub.Runtime;

namespace Hub.Cli;

/// <summary><c>hub routes</c>: subscriptions, sections and targets as the hub understood them (secrets masked).</summary>
internal static class RoutesCommand
{
    public static int Execute(string? configOption, CliContext cli)
    {
        var config = ConfigSource.Load(configOption, cli);
        if (config is null)
        {
            return ExitCodes.ConfigError;
        }

        var o = cli.Out;
        var d = config.Defaults;
        o.WriteLine($"Broker: {(d.Tls ? "mqtts" : "mqtt")}://{d.Hostname}:{d.Port} as '{d.ClientId}' (protocol {d.Protocol}, clean session {d.CleanSession}{(d.Username is null ? "" : $", user {d.Username}, password {Secrets.Mask}")})");
        o.WriteLine();
        o.WriteLine("Subscriptions:");
        foreach (var subscription in HubRuntime.Subscriptions(config))
        {
            o.WriteLine($"  {subscription.Filter}  (qos {subscription.Qos})");
        }

        o.WriteLine();
        o.WriteLine("Routes (in file order):");
        foreach (var section in config.Sections)
        {
            o.WriteLine($"  [{section.Name}]  {section.Location}");
            if (section.Topic != section.Name)
            {
                o.WriteLine($"    topic:    {section.Topic}");
            }

            o.WriteLine($"    targets:  {Describe(section.Targets)}");
            foreach (var (key, value) in new[] { ("format", section.Format), ("title", section.Title), ("priority", section.Priority), ("image", section.Image) })
            {
                if (value is not null)
                {
                    o.WriteLine($"    {key,-9} {value}");
                }
            }

            foreach (var (reference, own) in section.Overrides)
            {
                var name = reference.Replace(':', '.');
                if (own.Format is not null)
                {
                    o.WriteLine($"    format.{name} {own.Format}");
                }

                if (own.Title is not null)
                {
                    o.WriteLine($"    title.{name} {own.Title}");
                }
            }

            if (section.Failover.Count > 0)
            {
                o.WriteLine($"    failover: {string.Join(", ", section.Failover)}");
            }

            if (section.Dedup is { } dedup)
            {
                o.WriteLine($"    dedup:    {Durations.Format(dedup)}");
            }
        }

        o.WriteLine();
        o.WriteLine("Services:");
        foreach (var service in config.Services)
        {
            o.WriteLine($"  {service.Name}  (module {service.Module}{(service.DecodeUtf8 ? "" : ", decode_utf8 False")})  {service.Location}");
            foreach (var (key, value) in service.Options)
            {
                o.WriteLine($"    {key} = {Secrets.MaskIfSecret(key, PyValue.Str(value))}");
            }

            foreach (var target in service.Targets)
            {
                o.WriteLine($"    -> {target.Name ?? "(unnamed)"}: {MaskDescriptor(target.Descriptor)}");
                o.WriteLine($"       delivery: {Describe(DeliveryPolicy.For(service, target.Name, config.Defaults))}");
            }
        }

        return ExitCodes.Ok;
    }

    private static string Describe(DeliveryPolicy policy)
    {
        var parts = new List<string>
        {
            policy.Retries == 0 ? "no retries" : $"{policy.Retries} retries from {Durations.Format(policy.Backoff)} (at most {Durations.Format(policy.MaxBackoff)} apart, within {Durations.Format(policy.MaxAge)})",
        };
        if (policy.Failover.Count > 0)
        {
            parts.Add($"failover {string.Join(", ", policy.Failover)}");
        }

        if (policy.Rate is { } rate)
        {
            parts.Add($"rate {rate.Count} per {Durations.Format(rate.Per)}");
        }

        if (policy.Dedup is { } dedup)
        {
            parts.Add($"dedup {Durations.Format(dedup)}");
        }

        parts.Add($"queue {policy.MaxQueue}{(policy.Durable ? ", durable" : "")}");
        return string.Join("; ", parts);
    }

    private static string Describe(TargetSpec spec) => spec switch
    {
        TargetList list => string.Join(", ", list.References),
        TargetDispatch dispatch => "by topic: " + string.Join("; ", dispatch.Entries.Select(e => $"{e.Key} -> {string.Join(", ", e.Value)}")),
        TargetFunction function => $"{function.FunctionName}()",
        _ => spec.ToString() ?? "",
    };

    private static string MaskDescriptor(object? descriptor) => descriptor switch
    {
        IReadOnlyDictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(kv => $"'{kv.Key}': {(Secrets.IsSecretKey(kv.Key) ? $"'{Secrets.Mask}'" : PyValue.Repr(kv.Value))}")) + "}",
        _ => PyValue.Repr(descriptor),
    };
}
