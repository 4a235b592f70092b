using Hub.PluginHost;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary><c>hub check</c>: validate the configuration and every target descriptor; exit 2 on any error.</summary>
internal static class CheckCommand
{
    public static int Execute(string? configOption, CliContext cli)
    {
        var config = ConfigSource.Load(configOption, cli);
        if (config is null)
        {
            return ExitCodes.ConfigError;
        }

        var catalog = ConfigSource.DiscoverPlugins(config, cli);
        var services = ServiceInstances.Create(config, catalog, NullLoggerFactory.Instance, OfflinePublisher.Instance, TimeProvider.System);
        if (services.Errors.Count > 0)
        {
            return ConfigSource.PrintErrors(services.Errors, cli);
        }

        var targets = config.Services.Sum(s => s.Targets.Count);
        cli.Out.WriteLine($"{config.FilePath}: OK ({config.Sections.Count} topic sections, {config.Services.Count} services, {targets} targets)");
        return ExitCodes.Ok;
    }
}
