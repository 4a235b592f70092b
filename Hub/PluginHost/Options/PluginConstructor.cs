using System.Reflection;
using Hub.Plugins;

namespace Hub.PluginHost.Options;

/// <summary>
/// Picks the constructor the host calls: the public one with the most parameters, each of which is
/// <see cref="IPluginContext"/> or an options class (a class with a public parameterless constructor).
/// </summary>
public static class PluginConstructor
{
    public static ConstructorInfo? Find(Type pluginType) =>
        pluginType.GetConstructors()
            .Where(c => c.GetParameters() is var ps
                && ps.All(p => p.ParameterType == typeof(IPluginContext) || IsOptionsType(p.ParameterType))
                && ps.Count(p => IsOptionsType(p.ParameterType)) <= 1
                && ps.Count(p => p.ParameterType == typeof(IPluginContext)) <= 1)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();

    public static bool IsOptionsType(Type type) =>
        type.IsClass && !type.IsAbstract && type != typeof(string) && !typeof(Delegate).IsAssignableFrom(type)
        && type.GetConstructor(Type.EmptyTypes) is not null;
}
