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

    public static IEnumerable<string> Validate(string name, object? descriptor, IReadOnlyDictionary<string, object?>? options = null) =>
        ((ITargetValidator)Create(name, new TestPluginContext(options))).ValidateTarget("t", descriptor);
}
