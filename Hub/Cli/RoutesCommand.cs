using Hub.Config;
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
            }
        }

        return ExitCodes.Ok;
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
