using System.Text;
using Hub.Delivery;
using Hub.Formatting;
using Hub.PluginHost;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Cli;

/// <summary><c>hub notify SERVICE:TARGET MESSAGE [--title T] [--priority N] [--data JSON]</c>: one notification through a configured target.</summary>
internal static class NotifyCommand
{
    public static async Task<int> ExecuteAsync(string? configOption, string reference, string message, string? title, int priority, string? dataJson, CliContext cli, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, object?>? extra = null;
        if (dataJson is not null && (extra = JsonData.TryParseObject(Encoding.UTF8.GetBytes(dataJson), out var jsonError)) is null)
        {
            cli.Error.WriteLine($"hub: --data must be a JSON object: {jsonError}");
            return ExitCodes.ConfigError;
        }

        var (sinks, exitCode) = await OfflineSinks.CreateAsync(configOption, cli, cancellationToken).ConfigureAwait(false);
        if (sinks is null)
        {
            return exitCode;
        }

        await using var _ = sinks.ConfigureAwait(false);
        var config = sinks.Graph.Config;
        var parts = reference.Split(':');
        var service = config.FindService(parts[0]);
        if (parts.Length > 2 || service is null)
        {
            cli.Error.WriteLine(service is null
                ? $"hub: unknown service '{parts[0]}' (launched: {string.Join(", ", config.Services.Select(s => s.Name))})"
                : $"hub: invalid target '{reference}': use SERVICE or SERVICE:TARGET");
            return ExitCodes.ConfigError;
        }

        var targets = sinks.Graph.TargetsOf(service).Where(t => parts.Length == 1 || t.Target.Name == parts[1]).ToList();
        if (targets.Count == 0)
        {
            cli.Error.WriteLine($"hub: service '{service.Name}' has no target '{parts[1]}' (targets: {string.Join(", ", service.Targets.Select(x => x.Name))})");
            return ExitCodes.ConfigError;
        }

        if (sinks.For(targets[0]) is not { } sink)
        {
            cli.Error.WriteLine($"hub: service '{service.Name}' is not a sink (its plugin filters, transforms, observes or produces messages)");
            return ExitCodes.ConfigError;
        }

        var data = TransformationData.Create("notify", Encoding.UTF8.GetBytes(message), DateTimeOffset.UtcNow, TimeZoneInfo.Local);
        if (extra is not null)
        {
            TransformationData.Merge(data, extra);
        }

        var failed = 0;
        foreach (var bound in targets)
        {
            var target = bound.Target;
            var item = new DeliveryItem
            {
                Service = service.Name,
                Section = "notify",
                Target = target.Name,
                Addrs = target.Descriptor,
                Bound = bound.Bound,
                Config = service.Options,
                Topic = "notify",
                Payload = Encoding.UTF8.GetBytes(message),
                Data = data,
                Message = message,
                MessageBytes = Encoding.UTF8.GetBytes(message),
                Title = title ?? "hub: notify",
                Priority = priority,
            };
            var ok = await sink.DeliverAsync(item, cancellationToken).ConfigureAwait(false);
            cli.Out.WriteLine($"{(target.Name is null ? service.Name : $"{service.Name}:{target.Name}")}: {(ok ? "sent" : "failed")}");
            failed += ok ? 0 : 1;
        }

        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
