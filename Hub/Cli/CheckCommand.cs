namespace Hub.Cli;

/// <summary>
/// <c>hub check [--strict]</c>: build the runtime graph exactly as <c>hub run</c> does, without connecting; print every
/// error and warning as <c>FILE:LINE: message</c>; exit 2 on any error (with <c>--strict</c>, on any warning too).
/// </summary>
internal static class CheckCommand
{
    public static int Execute(string? configOption, bool strict, CliContext cli)
    {
        var graph = ConfigSource.BuildGraph(configOption, cli, strict);
        if (graph is null)
        {
            return ExitCodes.ConfigError;
        }

        var config = graph.Config;
        cli.Out.WriteLine($"{config.FilePath}: OK ({config.Sections.Count} topic sections, {config.Services.Count} services, {graph.Targets.Count} targets)");
        graph.DisposeAsync(unload: true).AsTask().GetAwaiter().GetResult();
        return ExitCodes.Ok;
    }
}
