
namespace Hub.Cli;

/// <summary><c>hub check</c>: validate the configuration and every target descriptor; exit 2 on any error.</summary>
internal static class CheckCommand
{
    public static int Execute(string? configOption, CliContext cli)
    {
        var (config, services) = ConfigSource.LoadOffline(configOption, cli);
        if (config is null || services is null)
        {
            return ExitCodes.ConfigError;
        }

        var targets = config.Services.Sum(s => s.Targets.Count);
        cli.Out.WriteLine($"{config.FilePath}: OK ({config.Sections.Count} topic sections, {config.Services.Count} services, {targets} targets)");
        return ExitCodes.Ok;
    }
}
