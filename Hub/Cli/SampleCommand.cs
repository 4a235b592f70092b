using Hub.PluginHost;

namespace Hub.Cli;

/// <summary><c>hub sample NAME</c>: prints the <c>sample.ini</c> shipped beside a plugin's assembly.</summary>
internal static class SampleCommand
{
    public const string FileName = "sample.ini";

    public static string SamplePath(PluginDescriptor plugin) =>
        Path.Combine(Path.GetDirectoryName(plugin.AssemblyPath) ?? ".", FileName);

    public static int Execute(string? configOption, string name, CliContext cli)
    {
        var catalog = PluginCatalog.Discover(ConfigSource.PluginDirectories(configOption, cli));
        if (!catalog.TryGet(name, out var plugin))
        {
            var known = string.Join(", ", catalog.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal));
            cli.Error.WriteLine($"hub: unknown plugin '{name}' (plugins: {(known.Length == 0 ? "none" : known)})");
            return ExitCodes.ConfigError;
        }

        var path = SamplePath(plugin);
        if (!File.Exists(path))
        {
            cli.Error.WriteLine($"hub: plugin '{name}' ships no {FileName} (looked for {path})");
            return ExitCodes.Failure;
        }

        cli.Out.Write(File.ReadAllText(path));
        return ExitCodes.Ok;
    }
}
