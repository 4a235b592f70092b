using Hub.Config;
using Hub.Delivery;
using Hub.Pipeline;
using Hub.PluginHost;

namespace Hub.Graph;

/// <summary>
/// Turns <c>hub.ini</c> into a <see cref="HubGraph"/>, or into every reason it cannot: INI and literal errors, unknown
/// keys, topic filters, format strings, <c>udf.csx</c> compile errors, plugins that did not load, plugin options,
/// target descriptors, stages, delivery policies and service settings, all in one run, each as <c>FILE:LINE</c>.
/// It is the only place where a configuration becomes a runtime, so what <c>hub check</c> accepts, <c>hub run</c> starts.
/// </summary>
internal static class GraphBuilder
{
    /// <summary>Loads and builds; never throws for a bad configuration.</summary>
    public static GraphResult Build(string path, GraphEnvironment environment) => Build(path, ConfigLoader.Load(path), environment);

    /// <summary>Builds from an already loaded file (a command that needed <c>[defaults]</c> first, e.g. for its loggers).</summary>
    public static GraphResult Build(string path, ConfigLoadResult loaded, GraphEnvironment environment)
    {
        var diagnostics = new List<ConfigDiagnostic>(loaded.Diagnostics);
        // With errors in the INI, the plugins are still bound (to report their problems in the same run), never run.
        if ((loaded.Config ?? loaded.Partial) is not { } config)
        {
            return new GraphResult(null, diagnostics);
        }

        diagnostics.AddRange(RouteChecks.Check(config));
        var directories = environment.PluginDirectories.Count > 0 ? environment.PluginDirectories : ServiceInstances.PluginDirectories(config);
        var catalog = PluginCatalog.Discover(directories);
        var file = new SourceLocation(path, config.Defaults.PluginsLine);
        diagnostics.AddRange(catalog.Errors.Select(e => new ConfigDiagnostic(file, $"plugin not loaded: {e.Path}: {e.Reason.Trim()}", IsError: false)));
        ServiceInstances services;
        try
        {
            services = ServiceInstances.Create(config, catalog, environment.Loggers, environment.Publisher, environment.Time);
        }
        catch (Exception) when (loaded.Config is null)
        {
            // A configuration with errors may not bind at all: its own errors are the report.
            catalog.Unload();
            return new GraphResult(null, Sorted(diagnostics, path));
        }

        diagnostics.AddRange(services.Errors.Concat(services.Warnings));
        var (stages, stageErrors) = StageRunner.Create(config, services.Instances, s => ServiceSettings.Timeout(s, config.Defaults), environment.Loggers.CreateLogger("hub.stages"));
        diagnostics.AddRange(stageErrors);
        diagnostics.AddRange(config.Services.SelectMany(ServiceSettings.Check));
        diagnostics.AddRange(config.Services.SelectMany(DeliveryPolicy.Check));
        var targets = BindTargets(config, services);
        var links = FailoverLinks(config, targets, diagnostics);
        var steps = RouteSteps.ComposeAll(config, stages, environment.StepKinds);
        var routes = steps.ToDictionary(s => s.Key, s => Route(s.Key, s.Value, targets, links));
        var graph = new HubGraph(config, catalog, services, stages, targets, routes);
        if (loaded.Config is null || diagnostics.Any(d => d.IsError))
        {
            graph.DisposeAsync(unload: true).AsTask().GetAwaiter().GetResult();
            return new GraphResult(null, Sorted(diagnostics, path));
        }

        return new GraphResult(graph, Sorted(diagnostics, path));
    }

    private static Dictionary<(string Service, string? Target), BoundTarget> BindTargets(HubConfig config, ServiceInstances services)
    {
        var targets = new Dictionary<(string Service, string? Target), BoundTarget>();
        foreach (var service in config.Services)
        {
            var sink = services.Sinks.GetValueOrDefault(service.Name);
            var timeout = ServiceSettings.Timeout(service, config.Defaults);
            foreach (var target in service.Targets)
            {
                targets[(service.Name, target.Name)] = new BoundTarget
                {
                    Service = service,
                    Target = target,
                    Policy = DeliveryPolicy.For(service, target.Name, config.Defaults),
                    Timeout = timeout,
                    Sink = sink,
                    Bound = services.Bound.GetValueOrDefault((service.Name, target.Name)),
                };
            }
        }

        return targets;
    }

    /// <summary>
    /// Every reference of every failover chain (the routes' and the targets' own), resolved once: a bare service is all
    /// its targets. A target's chain naming nothing launched is a warning (a route's is reported by the loader).
    /// </summary>
    private static Dictionary<string, FailoverLink> FailoverLinks(
        HubConfig config, IReadOnlyDictionary<(string Service, string? Target), BoundTarget> targets, List<ConfigDiagnostic> diagnostics)
    {
        var links = new Dictionary<string, FailoverLink>(StringComparer.Ordinal);
        foreach (var reference in config.Sections.Append(config.Failover).OfType<TopicSection>().SelectMany(s => s.Failover))
        {
            links.TryAdd(reference, Resolve(reference, config, targets));
        }

        foreach (var target in targets.Values)
        {
            var chain = new List<FailoverLink>();
            target.Failover = chain;
            foreach (var reference in target.Policy.Failover)
            {
                var link = links.TryGetValue(reference, out var known) ? known : links[reference] = Resolve(reference, config, targets);
                chain.Add(link);
                if (link.Targets.Count == 0)
                {
                    var key = target.Target.Name is { } name && target.Service.Options.ContainsKey($"failover.{name}") ? $"failover.{name}" : "failover";
                    diagnostics.Add(new ConfigDiagnostic(target.Service.LocationOf(key),
                        $"[config:{target.Service.Name}]: failover '{reference}' names no launched service or target; that link is skipped", IsError: false));
                }
            }
        }

        return links;
    }

    private static FailoverLink Resolve(string reference, HubConfig config, IReadOnlyDictionary<(string Service, string? Target), BoundTarget> targets)
    {
        var parts = reference.Split(':');
        var service = parts.Length <= 2 ? config.FindService(parts[0]) : null;
        if (service is null)
        {
            return new FailoverLink(reference, []);
        }

        var named = parts.Length == 1 ? service.Targets : service.FindTarget(parts[1]) is { } one ? [one] : [];
        return new FailoverLink(reference, named.Select(t => targets[(service.Name, t.Name)]).ToList());
    }

    private static GraphRoute Route(
        TopicSection section, IReadOnlyList<IRouteStep> steps, IReadOnlyDictionary<(string Service, string? Target), BoundTarget> targets, Dictionary<string, FailoverLink> links)
    {
        IEnumerable<string> references = section.Targets switch
        {
            TargetList list => list.References,
            TargetDispatch dispatch => dispatch.Entries.SelectMany(e => e.Value),
            _ => [],
        };
        var bound = new List<BoundTarget>();
        foreach (var reference in references.Where(r => !r.Contains('{', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            var parts = reference.Split(':');
            bound.AddRange(targets.Values.Where(t => t.Service.Name == parts[0] && (parts.Length == 1 || t.Target.Name == parts[1])));
        }

        return new GraphRoute(section, section.SubscriptionFilter, StageRunner.Names(section), bound)
        {
            Steps = steps,
            Failover = section.Failover.Select(r => links[r]).ToList(),
        };
    }

    /// <summary>Once each, the configuration file's in line order first, then those of the files it names.</summary>
    private static List<ConfigDiagnostic> Sorted(IEnumerable<ConfigDiagnostic> diagnostics, string path) =>
        diagnostics.Distinct()
            .OrderBy(d => d.Location.File == path ? 0 : 1)
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ToList();
}
