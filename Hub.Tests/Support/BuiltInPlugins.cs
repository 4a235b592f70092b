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

    /// <summary>The problems the hub reports for one target descriptor of the plugin (its binder's, or its validator's).</summary>
    public static IEnumerable<string> Validate(string name, object? descriptor, IReadOnlyDictionary<string, object?>? options = null)
    {
        var sink = Create(name, new TestPluginContext(options));
        Assert.True(sink is ITargetBinder or ITargetValidator, $"plugin '{name}' neither binds nor validates its targets");
        return TargetBindings.Check(sink, "t", descriptor, out _);
    }

    /// <summary>
    /// <paramref name="item"/> as the host hands it to <paramref name="sink"/> for a target bound once to
    /// <paramref name="bound"/>, but with a descriptor no plugin accepts: a sink that parsed <c>Addrs</c> per message
    /// would fail on it, so a delivery proves the sink used the binding.
    /// </summary>
    public static DeliveryItem WithBinding(DeliveryItem item, object bound) =>
        Hub.Delivery.ItemJson.Addressed(item, item.Service, item.Target, Unparseable, bound, item.Config);

    /// <summary>Binds one descriptor through the sink's <see cref="ITargetBinder"/>, as the graph builder does.</summary>
    public static object Bind(ISink sink, object? descriptor, string? target = "t") =>
        Assert.IsAssignableFrom<ITargetBinder>(sink).BindTarget(target, descriptor);

    /// <summary>A descriptor of no plugin's shape (a dict of a number).</summary>
    private static readonly IReadOnlyDictionary<string, object?> Unparseable = new Dictionary<string, object?> { ["unparseable"] = 42L };
}
