using Hub.Config;
using Hub.Diagnostics;
using Hub.PluginHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary>Finds and loads the configuration for a command, printing every error as <c>FILE:LINE: message</c>.</summary>
internal static class ConfigSource
{
    /// <summary><c>--config</c>, else <c>$HUB_CONFIG</c>, else <c>./hub.ini</c>.</summary>
    public static string ResolvePath(string? option) =>
        option ?? (Environment.GetEnvironmentVariable("HUB_CONFIG") is { Length: > 0 } env ? env : "hub.ini");

    /// <summary>Loads and validates; on errors prints them and returns null.</summary>
    public static HubConfig? Load(string? option, CliContext cli, bool printWarnings = true)
    {
        var path = ResolvePath(option);
        var result = ConfigLoader.Load(path);
        foreach (var diagnostic in result.Diagnostics.Where(d => d.IsError || printWarnings))
        {
            cli.Error.WriteLine(diagnostic.ToString());
        }

        return result.Config;
    }

    /// <summary>
    /// Loads the configuration and binds every service to its plugin without a broker connection
    /// (<c>hub check</c>, <c>hub test</c>); prints every error and returns nulls on failure.
    /// </summary>
    public static (HubConfig? Config, ServiceInstances? Services) LoadOffline(string? option, CliContext cli)
    {
        var config = Load(option, cli);
        if (config is null)
        {
            return (null, null);
        }

        var catalog = DiscoverPlugins(config, cli);
        var services = ServiceInstances.Create(config, catalog, NullLoggerFactory.Instance, OfflinePublisher.Instance, TimeProvider.System);
        foreach (var warning in services.Warnings)
        {
            cli.Error.WriteLine(warning.ToString());
        }

        var (_, stageErrors) = StageRunner.Create(config, services.Instances, _ => TimeSpan.Zero, NullLogger.Instance);
        if (services.Errors.Count > 0 || stageErrors.Count > 0)
        {
            PrintErrors(services.Errors.Concat(stageErrors), cli);
            return (null, null);
        }

        return (config, services);
    }

    public static PluginCatalog DiscoverPlugins(HubConfig config, CliContext cli, bool report = true)
    {
        var catalog = PluginCatalog.Discover(cli.PluginDirectories.Count > 0 ? cli.PluginDirectories : ServiceInstances.PluginDirectories(config));
        if (report)
        {
            foreach (var error in catalog.Errors)
            {
                cli.Error.WriteLine($"warning: plugin not loaded: {error}");
            }
        }

        return catalog;
    }

    /// <summary>
    /// The plugin directories for commands that need no valid configuration (<c>hub plugins</c>,
    /// <c>hub sample</c>): <c>--plugins</c>, else <c>plugins =</c> of the config file when it loads, else the default.
    /// </summary>
    public static IReadOnlyList<string> PluginDirectories(string? option, CliContext cli)
    {
        if (cli.PluginDirectories.Count > 0)
        {
            return cli.PluginDirectories;
        }

        var path = ResolvePath(option);
        if (!File.Exists(path))
        {
            return [PluginCatalog.DefaultDirectory];
        }

        var result = ConfigLoader.Load(path);
        if (result.Config is null)
        {
            cli.Error.WriteLine($"warning: {path} has errors (see 'hub check'); using the default plugin directory {PluginCatalog.DefaultDirectory}");
            return [PluginCatalog.DefaultDirectory];
        }

        return ServiceInstances.PluginDirectories(result.Config);
    }

    public static ILoggerFactory CreateLoggers(DefaultsOptions defaults, LogLevel? minimum = null)
    {
        var level = minimum ?? PyLogLevel.Parse(defaults.LogLevel);
        var destination = defaults.LogFile;
        var provider = new PyLoggerProvider(defaults.LogFormat, destination, level);
        // The host's and Kestrel's own chatter (every request, every start step) stays out unless it is a warning.
        return LoggerFactory.Create(b => b.ClearProviders().SetMinimumLevel(level).AddFilter("Microsoft", l => l >= LogLevel.Warning && l >= level).AddProvider(provider));
    }

    public static int PrintErrors(IEnumerable<ConfigDiagnostic> errors, CliContext cli)
    {
        foreach (var error in errors)
        {
            cli.Error.WriteLine(error.ToString());
        }

        return ExitCodes.ConfigError;
    }
}
