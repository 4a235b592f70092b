using System.Reflection;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>Creates plugin instances: a constructor taking <see cref="IPluginContext"/>, else a parameterless one.</summary>
public static class PluginActivator
{
    public static ISink Create(PluginDescriptor descriptor, IPluginContext context)
    {
        var type = descriptor.Type;
        try
        {
            var withContext = type.GetConstructor([typeof(IPluginContext)]);
            if (withContext is not null)
            {
                return (ISink)withContext.Invoke([context]);
            }

            var parameterless = type.GetConstructor(Type.EmptyTypes)
                ?? throw new PluginActivationException($"plugin '{descriptor.Name}' ({type.FullName}) has no public constructor taking IPluginContext or nothing");
            return (ISink)parameterless.Invoke(null);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new PluginActivationException($"plugin '{descriptor.Name}' failed to start: {ex.InnerException.Message}", ex.InnerException);
        }
    }
}
