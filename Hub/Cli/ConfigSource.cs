using Hub.Config;
using Hub.Graph;
using Hub.Logging;
using Hub.PluginHost;
using Microsoft.Extensions.Logging;

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

    /// <summary>What the graph builder gets from the command line: <c>--plugins</c>.</summary>
    public static GraphEnvironment GraphEnvironment(CliContext cli) => new() { PluginDirectories = cli.PluginDirectories };

    /// <summary>
    /// Builds the runtime graph without a broker connection (<c>hub check</c>, <c>hub test</c>): the same builder as
    /// <c>hub run</c>. Prints every diagnostic (with <paramref name="strict"/>, warnings as errors); null on any error.
    /// </summary>
    public static HubGraph? BuildGraph(string? option, CliContext cli, bool strict = false)
    {
        var built = GraphBuilder.Build(ResolvePath(option), GraphEnvironment(cli));
        var diagnostics = strict ? built.Strict() : built.Diagnostics;
        Print(diagnostics, cli);
        if (built.Graph is { } graph && diagnostics.Any(d => d.IsError))
        {
            graph.DisposeAsync(unload: true).AsTask().GetAwaiter().GetResult();
            return null;
        }

        return built.Graph;
    }

    /// <summary>Prints diagnostics, one <c>FILE:LINE: message</c> per line, to standard error.</summary>
    public static void Print(IEnumerable<ConfigDiagnostic> diagnostics, CliContext cli)
    {
        foreach (var diagnostic in diagnostics)
        {
            cli.Error.WriteLine(diagnostic.ToString());
        }
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
