using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>A plugin type found in a plugin assembly, with the stage kinds it implements.</summary>
/// <param name="AssemblyPath">Where the plugin is installed (not the shadow copy it runs from).</param>
public sealed record PluginDescriptor(string Name, Type Type, string AssemblyPath, string? Description, string Version)
{
    public PluginKinds Kinds { get; } = PluginKindsOf.Type(Type);

    public bool ValidatesTargets => typeof(ITargetValidator).IsAssignableFrom(Type) || typeof(ITargetBinder).IsAssignableFrom(Type);
}
