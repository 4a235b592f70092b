using Hub.Config;
using Hub.PluginHost;

namespace Hub.Graph;

/// <summary>
/// The configuration as one typed, validated runtime graph: routes (topic filter → stages → targets), every target
/// of every launched service bound once (descriptor checked, delivery policy, timeout, sink), failover chains resolved
/// to targets, and the plugin instances and catalog they came from. <see cref="GraphBuilder"/> makes it, the same way
/// for <c>hub run</c>, every reload, <c>hub check</c>, <c>hub test</c>, <c>hub notify</c> and <c>hub dlq replay</c>.
/// </summary>
internal sealed class HubGraph
{
    private readonly Dictionary<string, FailoverLink> _links;

    public HubGraph(
        HubConfig config, PluginCatalog catalog, ServiceInstances services, StageRunner stages,
        IReadOnlyDictionary<(string Service, string? Target), BoundTarget> targets, IReadOnlyList<GraphRoute> routes, Dictionary<string, FailoverLink> links)
    {
        Config = config;
        Catalog = catalog;
        Services = services;
        Stages = stages;
        Targets = targets;
        Routes = routes;
        _links = links;
    }

    public HubConfig Config { get; }

    public PluginCatalog Catalog { get; }

    /// <summary>The plugin instance of every launched service.</summary>
    public ServiceInstances Services { get; }

    /// <summary>The plugin stages of every route, bound to their instances.</summary>
    public StageRunner Stages { get; }

    /// <summary>Every target of every launched service, by service and target name.</summary>
    public IReadOnlyDictionary<(string Service, string? Target), BoundTarget> Targets { get; }

    /// <summary>The topic sections as routes, in file order (<c>[failover]</c> not included).</summary>
    public IReadOnlyList<GraphRoute> Routes { get; }

    /// <summary>The targets of one service, in declaration order.</summary>
    public IReadOnlyList<BoundTarget> TargetsOf(ServiceConfig service) =>
        service.Targets.Select(t => Targets[(service.Name, t.Name)]).ToList();

    /// <summary>One link of a failover chain, resolved at build time (a reference the configuration does not know names no target).</summary>
    public FailoverLink Link(string reference) => _links.TryGetValue(reference, out var link) ? link : new FailoverLink(reference, []);

    /// <summary>Disposes the plugin instances; with <paramref name="unload"/> also unloads the plugin contexts.</summary>
    public async ValueTask DisposeAsync(bool unload)
    {
        await Services.DisposeAsync().ConfigureAwait(false);
        if (unload)
        {
            Catalog.Unload();
        }
    }
}
