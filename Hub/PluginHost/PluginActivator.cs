using System.Reflection;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>Creates plugin instances: a constructor taking <see cref="IPluginContext"/>, else a parameterless one.</summary>
public static class PluginActivator
{
    public static ISink Create(PluginDescriptor descriptor, IPluginContext context) =>
        CreateInstance(descriptor, context) as ISink
        ?? throw new PluginActivationException($"plugin '{descriptor.Name}' is a {PluginKindsOf.Describe(descriptor.Kinds)}, not a sink");

    /// <summary>Creates an instance of any plugin kind (sink, filter, transform, analytics, source, scheduled job).</summary>
    public static object CreateInstance(PluginDescriptor descriptor, IPluginContext context)
    {
        var type = descriptor.Type;
        try
        {
            var withContext = type.GetConstructor([typeof(IPluginContext)]);
            if (withContext is not null)
            {
                return withContext.Invoke([context]);
            }

            var parameterless = type.GetConstructor(Type.EmptyTypes)
                ?? throw new PluginActivationException($"plugin '{descriptor.Name}' ({type.FullName}) has no public constructor taking IPluginContext or nothing");
            return parameterless.Invoke(null);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new PluginActivationException($"plugin '{descriptor.Name}' failed to start: {ex.InnerException.Message}", ex.InnerException);
        }
    }
}
