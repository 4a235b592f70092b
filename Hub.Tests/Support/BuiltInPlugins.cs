using Hub.PluginHost;
using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Creates built-in plugins the way the hub does: from the plugin directory, through the loader.</summary>
public static class BuiltInPlugins
{
    private static readonly Lazy<PluginCatalog> Catalog = new(() => PluginCatalog.Discover([Repo.PluginDirectory]));

    public static ISink Create(string name, IPluginContext context)
    {
        Assert.True(Catalog.Value.TryGet(name, out var descriptor), $"plugin '{name}' not found in {Repo.PluginDirectory}");
        return PluginActivator.Create(descriptor, context);
    }

    /// <summary>Binds the options and creates the plugin, returning the option problems instead of throwing.</summary>
    public static PluginActivation Activate(string name, IReadOnlyDictionary<string, object?>? options = null)
    {
        Assert.True(Catalog.Value.TryGet(name, out var descriptor), $"plugin '{name}' not found in {Repo.PluginDirectory}");
        return PluginActivator.Activate(descriptor, new TestPluginContext(options));
    }

    public static IEnumerable<string> Validate(string name, object? descriptor, IReadOnlyDictionary<string, object?>? options = null) =>
        ((ITargetValidator)Create(name, new TestPluginContext(options))).ValidateTarget("t", descriptor);
}
