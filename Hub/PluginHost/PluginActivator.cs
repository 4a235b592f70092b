using System.Reflection;
using Hub.PluginHost.Options;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>
/// Creates plugin instances: binds the plugin's options class (if its constructor takes one) from the
/// instance's options, then calls the public constructor with the most of (<see cref="IPluginContext"/>,
/// options class) parameters, or the parameterless one.
/// </summary>
public static class PluginActivator
{
    /// <summary>
    /// Binds the options and creates the instance. Option problems come back as diagnostics (warnings
    /// always; errors instead of an instance); a constructor that throws becomes a <see cref="PluginActivationException"/>.
    /// </summary>
    public static PluginActivation Activate(PluginDescriptor descriptor, IPluginContext context)
    {
        var type = descriptor.Type;
        var constructor = PluginConstructor.Find(type)
            ?? throw new PluginActivationException(
                $"plugin '{descriptor.Name}' ({type.FullName}) has no public constructor taking IPluginContext, an options class (with a public parameterless constructor), both, or nothing");

        object? options = null;
        IReadOnlyList<OptionDiagnostic> diagnostics = [];
        if (OptionsSchema.ForPlugin(type) is { } schema)
        {
            (options, diagnostics) = OptionsBinder.Bind(schema, context.Options);
            if (diagnostics.Any(d => d.IsError))
            {
                return new PluginActivation(null, diagnostics);
            }
        }

        var arguments = constructor.GetParameters()
            .Select(p => p.ParameterType == typeof(IPluginContext) ? context : options)
            .ToArray();
        try
        {
            return new PluginActivation(constructor.Invoke(arguments), diagnostics);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new PluginActivationException($"plugin '{descriptor.Name}' failed to start: {ex.InnerException.Message}", ex.InnerException);
        }
    }

    /// <summary>Creates a sink; any option error throws a <see cref="PluginActivationException"/> that lists them all.</summary>
    public static ISink Create(PluginDescriptor descriptor, IPluginContext context) =>
        CreateInstance(descriptor, context) as ISink
        ?? throw new PluginActivationException($"plugin '{descriptor.Name}' is a {PluginKindsOf.Describe(PluginKindsOf.Type(descriptor.Type))}, not a sink");

    /// <summary>Creates an instance of any plugin kind; any option error throws a <see cref="PluginActivationException"/> that lists them all.</summary>
    public static object CreateInstance(PluginDescriptor descriptor, IPluginContext context)
    {
        var activation = Activate(descriptor, context);
        return activation.Instance ?? throw new PluginActivationException(
            $"plugin '{descriptor.Name}': {string.Join("; ", activation.Diagnostics.Where(d => d.IsError))}");
    }
}
