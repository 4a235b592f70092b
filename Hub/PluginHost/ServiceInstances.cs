using Hub.Config;
using Hub.Formatting;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.PluginHost;

/// <summary>
/// Binds every launched service instance to its plugin and creates one sink per instance; checks
/// every target descriptor with the plugin's validator. Problems come back as configuration
/// diagnostics (file:line), so <c>hub check</c> reports them like any other error.
/// </summary>
public sealed class ServiceInstances
{
    private readonly Dictionary<string, ISink> _sinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PluginDescriptor> _plugins = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ISink> Sinks => _sinks;

    /// <summary>Every instance, of any kind (sinks, filters, transforms, analytics, sources, scheduled jobs).</summary>
    public IReadOnlyDictionary<string, object> Instances => _instances;
    public IReadOnlyDictionary<string, PluginDescriptor> Plugins => _plugins;
    public List<ConfigDiagnostic> Errors { get; } = [];

    public static IReadOnlyList<string> PluginDirectories(HubConfig config) =>
        config.Defaults.Plugins.Count > 0 ? config.Defaults.Plugins : [PluginCatalog.DefaultDirectory];

    public static ServiceInstances Create(HubConfig config, PluginCatalog catalog, ILoggerFactory loggers, IMessagePublisher publisher, TimeProvider time)
    {
        var result = new ServiceInstances();
        foreach (var service in config.Services)
        {
            var descriptor = Resolve(config, catalog, service, result.Errors);
            if (descriptor is null)
            {
                continue;
            }

            var context = new PluginContext(service.Name, service.Options, config.Directory,
                loggers.CreateLogger($"hub.plugin.{service.Name}"), publisher, time, PyFormatter.Instance,
                new FileStateStore(Path.Combine(config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state"), service.Name)));
            object instance;
            try
            {
                instance = PluginActivator.CreateInstance(descriptor, context);
            }
            catch (PluginActivationException ex)
            {
                result.Errors.Add(new ConfigDiagnostic(service.Location, $"[config:{service.Name}]: {ex.Message}"));
                continue;
            }

            if (instance is ITargetValidator validator)
            {
                foreach (var target in service.Targets)
                {
                    foreach (var problem in SafeValidate(validator, target))
                    {
                        var name = target.Name is null ? "" : $" target '{target.Name}'";
                        result.Errors.Add(new ConfigDiagnostic(target.Location, $"[config:{service.Name}]{name}: {problem}"));
                    }
                }
            }

            if (instance is ISink sink)
            {
                result._sinks[service.Name] = sink;
            }

            result._instances[service.Name] = instance;
            result._plugins[service.Name] = descriptor;
        }

        return result;
    }

    private static PluginDescriptor? Resolve(HubConfig config, PluginCatalog catalog, ServiceConfig service, List<ConfigDiagnostic> errors)
    {
        if (service.Module.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.IsPathRooted(service.Module) ? service.Module : Path.Combine(config.Directory, service.Module);
            if (!File.Exists(path))
            {
                errors.Add(new ConfigDiagnostic(service.Location, $"[config:{service.Name}]: plugin assembly '{path}' does not exist"));
                return null;
            }

            var loaded = catalog.LoadAssembly(path);
            if (loaded.Count == 0)
            {
                var reason = catalog.Errors.LastOrDefault(e => e.Path == path)?.Reason ?? "no plugin in it";
                errors.Add(new ConfigDiagnostic(service.Location, $"[config:{service.Name}]: cannot load plugin assembly '{path}': {reason}"));
                return null;
            }

            return loaded[0];
        }

        if (catalog.TryGet(service.Module, out var descriptor))
        {
            return descriptor;
        }

        var known = string.Join(", ", catalog.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal));
        errors.Add(new ConfigDiagnostic(service.Location,
            $"[config:{service.Name}]: unknown service module '{service.Module}' (plugins loaded: {(known.Length == 0 ? "none" : known)})"));
        return null;
    }

    private static IEnumerable<string> SafeValidate(ITargetValidator validator, ServiceTarget target)
    {
        try
        {
            return validator.ValidateTarget(target.Name, target.Descriptor).ToList();
        }
        catch (Exception ex)
        {
            return [$"the plugin's validator failed: {ex.Message}"];
        }
    }
}
