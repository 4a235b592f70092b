using Hub.PluginHost;
using Hub.PluginHost.Options;
using Hub.Plugins;

namespace Hub.Cli;

/// <summary>
/// <c>hub plugins</c>: what the plugin directories hold: name, kinds, version, assembly path, the
/// libraries it carries privately (with their versions), and every option with its type, default
/// and description (read from the options class).
/// </summary>
internal static class PluginsCommand
{
    public static int Execute(string? configOption, CliContext cli)
    {
        var directories = ConfigSource.PluginDirectories(configOption, cli);
        var catalog = PluginCatalog.Discover(directories);
        var o = cli.Out;
        o.WriteLine($"Plugin directories: {string.Join(", ", directories)}");
        foreach (var plugin in catalog.Plugins.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            o.WriteLine();
            Describe(plugin, o);
        }

        foreach (var error in catalog.Errors)
        {
            cli.Error.WriteLine($"warning: plugin not loaded: {error}");
        }

        if (catalog.Plugins.Count == 0)
        {
            o.WriteLine();
            o.WriteLine("No plugins found.");
        }

        return ExitCodes.Ok;
    }

    private static void Describe(PluginDescriptor plugin, TextWriter o)
    {
        var capabilities = CapabilitiesOf(plugin.Type);
        o.WriteLine($"{plugin.Name}  {plugin.Version}  {PluginKindsOf.Describe(PluginKindsOf.Type(plugin.Type))}{(capabilities.Count == 0 ? "" : $" ({string.Join(", ", capabilities)})")}");
        if (plugin.Description is { Length: > 0 } description)
        {
            o.WriteLine($"  {description}");
        }

        o.WriteLine($"  path:    {plugin.AssemblyPath}");
        var libraries = PluginDependency.Read(plugin.AssemblyPath);
        o.WriteLine($"  libraries: {(libraries.Count == 0 ? "none (the contract and the framework only)" : string.Join(", ", libraries.Select(d => $"{d.Name} {d.Version}")))}");
        OptionsSchema? schema;
        try
        {
            schema = OptionsSchema.ForPlugin(plugin.Type);
        }
        catch (PluginActivationException ex)
        {
            o.WriteLine($"  options: cannot be read: {ex.Message}");
            return;
        }

        if (schema is null || schema.Options.Count == 0)
        {
            o.WriteLine(schema is null ? "  options: (not declared: the plugin reads [config:NAME] itself)" : "  options: none");
        }
        else
        {
            o.WriteLine($"  options ({schema.Type.Name}):");
            static string Default(OptionDefinition option) => option.Required ? "required" : $"default {option.DefaultText}";
            var keyWidth = schema.Options.Max(x => x.Key.Length);
            var typeWidth = schema.Options.Max(x => x.TypeName.Length);
            var defaultWidth = schema.Options.Max(x => Default(x).Length);
            foreach (var option in schema.Options)
            {
                var line = $"    {option.Key.PadRight(keyWidth)}  {option.TypeName.PadRight(typeWidth)}  {Default(option).PadRight(defaultWidth)}  {option.Description}";
                o.WriteLine(line.TrimEnd());
            }
        }

        if (File.Exists(SampleCommand.SamplePath(plugin)))
        {
            o.WriteLine($"  sample:  hub sample {plugin.Name}");
        }
    }

    private static readonly (Type Contract, string Name)[] Capabilities =
    [
        (typeof(IBatchSink), "batches"),
        (typeof(ITargetBinder), "binds targets"),
        (typeof(ITargetValidator), "validates targets"),
        (typeof(IAsyncInitializable), "initializes"),
        (typeof(IAsyncDisposable), "disposes"),
        (typeof(IDisposable), "disposes"),
    ];

    /// <summary>The optional capability interfaces a plugin implements, in words.</summary>
    private static List<string> CapabilitiesOf(Type pluginType) =>
        Capabilities.Where(c => c.Contract.IsAssignableFrom(pluginType)).Select(c => c.Name).Distinct().ToList();
}
