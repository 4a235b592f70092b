using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>A plugin type found in a plugin assembly.</summary>
public sealed record PluginDescriptor(string Name, Type Type, string AssemblyPath, string? Description, string Version)
{
    public bool ValidatesTargets => typeof(ITargetValidator).IsAssignableFrom(Type);
}
