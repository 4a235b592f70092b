using Hub.Config;
using Hub.Delivery;
using Hub.Pipeline;
using Hub.PluginHost;

namespace Hub.Graph;

/// <summary>
/// The configuration as one typed, validated runtime graph: routes (topic filter → ordered steps → targets), every
/// target of every launched service bound once (the descriptor bound to the sink's typed target, delivery policy,
/// timeout, sink), failover chains resolved to targets, and the plugin instances and catalog they came from. <see cref="GraphBuilder"/> makes it, the same way
/// for <c>hub run</c>, every reload, <c>hub check</c>, <c>hub test</c>, <c>hub notify</c> and <c>hub dlq replay</c>.
/// </summary>
internal sealed class HubGraph
{
    public HubGraph(
        HubConfig config, PluginCatalog catalog, ServiceInstances services, StageRunner stages,
        IReadOnlyDictionary<(string Service, string? Target), BoundTarget> targets, IReadOnlyDictionary<TopicSection, GraphRoute> routes)
    {
        Config = config;
        Catalog = catalog;
        Services = services;
        Stages = stages;
        Targets = targets;
        BySection = routes;
        Routes = config.Sections.Select(s => routes[s]).ToList();
        Steps = routes.ToDictionary(r => r.Key, r => r.Value.Steps);
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

    /// <summary>The route of every topic section, <c>[failover]</c> included.</summary>
    public IReadOnlyDictionary<TopicSection, GraphRoute> BySection { get; }

    /// <summary>The step list of every route, <c>[failover]</c> included: what the router runs.</summary>
    public IReadOnlyDictionary<TopicSection, IReadOnlyList<IRouteStep>> Steps { get; }

    /// <summary>The targets of one service, in declaration order.</summary>
    public IReadOnlyList<BoundTarget> TargetsOf(ServiceConfig service) =>
        service.Targets.Select(t => Targets[(service.Name, t.Name)]).ToList();

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
