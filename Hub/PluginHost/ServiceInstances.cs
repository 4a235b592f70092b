using Hub.Config;
using Hub.Formatting;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.PluginHost;

/// <summary>
/// Binds every launched service instance to its plugin, binds the plugin's typed options and creates
/// one instance per service; binds every target descriptor with the plugin's binder (or checks it with its validator). Problems
/// come back as configuration diagnostics at the line of the offending key or target (file:line), so
/// <c>hub check</c> reports them like any other error; unknown option keys are warnings.
/// </summary>
public sealed class ServiceInstances : IAsyncDisposable
{
    private readonly Dictionary<string, object> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ISink> _sinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PluginDescriptor> _plugins = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string? Target), object> _bound = [];

    /// <summary>Every created plugin instance by service name, whatever its kind.</summary>
    public IReadOnlyDictionary<string, object> Instances => _instances;
    public IReadOnlyDictionary<string, ISink> Sinks => _sinks;
    public IReadOnlyDictionary<string, PluginDescriptor> Plugins => _plugins;

    /// <summary>The targets each sink's <see cref="ITargetBinder"/> bound, by service and target name (none for a sink without one).</summary>
    public IReadOnlyDictionary<(string Service, string? Target), object> Bound => _bound;
    public List<ConfigDiagnostic> Errors { get; } = [];
    public List<ConfigDiagnostic> Warnings { get; } = [];

    public static IReadOnlyList<string> PluginDirectories(HubConfig config) =>
        config.Defaults.Plugins.Count > 0 ? config.Defaults.Plugins : [PluginCatalog.DefaultDirectory];

    public static ServiceInstances Create(HubConfig config, PluginCatalog catalog, ILoggerFactory loggers, IMessagePublisher publisher, TimeProvider time)
    {
        var result = new ServiceInstances();
        foreach (var service in config.Services)
        {
            if (Config.Sections.PythonModuleName.IsPython(service.Module))
            {
                // mqttwarn's own service contract, plugin(srv, item), run in the embedded Python.
                if (Python.PythonServiceSink.Create(config, service, loggers, publisher is OfflinePublisher ? null : publisher, result.Errors) is { } python)
                {
                    result._instances[service.Name] = python;
                    result._sinks[service.Name] = python;
                }

                continue;
            }

            var descriptor = Resolve(config, catalog, service, result.Errors);
            if (descriptor is null)
            {
                continue;
            }

            var context = new PluginContext(service.Name, service.Options, config.Directory,
                loggers.CreateLogger($"hub.plugin.{service.Name}"), publisher, time, PyFormatter.Instance,
                new FileStateStore(Path.Combine(config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state"), service.Name)));
            PluginActivation activation;
            try
            {
                activation = PluginActivator.Activate(descriptor, context);
            }
            catch (PluginActivationException ex)
            {
                result.Errors.Add(new ConfigDiagnostic(service.Location, $"[config:{service.Name}]: {ex.Message}"));
                continue;
            }

            foreach (var problem in activation.Diagnostics)
            {
                var diagnostic = new ConfigDiagnostic(service.LocationOf(problem.Key), $"[config:{service.Name}] {problem}", problem.IsError);
                (problem.IsError ? result.Errors : result.Warnings).Add(diagnostic);
            }

            if (activation.Instance is not { } instance)
            {
                continue;
            }

            TargetBindings.Bind(service, instance, result._bound, result.Errors);
            result._instances[service.Name] = instance;
            if (instance is ISink sink)
            {
                result._sinks[service.Name] = sink;
            }

            result._plugins[service.Name] = descriptor;
        }

        // User functions bind last: [HubFunction] exports of every assembly loaded above win over the script.
        result.Errors.AddRange(FunctionBinder.Bind(config, catalog.Assemblies, loggers, publisher is OfflinePublisher ? null : publisher));
        // "No Python here" is said once, however many .py files the configuration names.
        var missing = result.Errors.Where(e => Functions.Python.PythonRuntime.IsMissing(e.Message)).OrderBy(e => e.Location.Line).Skip(1).ToList();
        result.Errors.RemoveAll(missing.Contains);
        return result;
    }

    /// <summary>
    /// Runs <see cref="IAsyncInitializable.InitializeAsync"/> of every instance that has it (once, before
    /// the first message); returns one error per instance that failed, at its section's line.
    /// </summary>
    public async Task<IReadOnlyList<ConfigDiagnostic>> InitializeAsync(HubConfig config, CancellationToken cancellationToken)
    {
        var errors = new List<ConfigDiagnostic>();
        foreach (var service in config.Services)
        {
            if (_instances.GetValueOrDefault(service.Name) is not IAsyncInitializable initializable)
            {
                continue;
            }

            try
            {
                await initializable.InitializeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                errors.Add(new ConfigDiagnostic(service.Location, $"[config:{service.Name}]: plugin '{_plugins[service.Name].Name}' failed to initialize: {ex.Message}"));
            }
        }

        return errors;
    }

    /// <summary>Disposes every instance that is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>; a failure does not stop the others.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances.Values)
        {
            try
            {
                switch (instance)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception)
            {
                // Shutting down: a plugin that fails to clean up must not keep the others from it.
            }
        }

        // Nothing of a disposed set may keep a plugin's load context alive.
        _instances.Clear();
        _sinks.Clear();
        _plugins.Clear();
        _bound.Clear();
    }

    /// <summary>The assembly <c>module = path/to/X.dll</c> loads in place, or null when <c>module</c> names a plugin.</summary>
    public static string? ModuleAssembly(HubConfig config, ServiceConfig service) =>
        !service.Module.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? null
            : Path.IsPathRooted(service.Module) ? service.Module : Path.Combine(config.Directory, service.Module);

    private static PluginDescriptor? Resolve(HubConfig config, PluginCatalog catalog, ServiceConfig service, List<ConfigDiagnostic> errors)
    {
        if (ModuleAssembly(config, service) is { } path)
        {
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

        if (catalog.Unloadable.TryGetValue(service.Module, out var failure))
        {
            errors.Add(new ConfigDiagnostic(service.Location, $"[config:{service.Name}]: plugin '{service.Module}' could not be loaded from {failure.Path}: {failure.Reason}"));
            return null;
        }

        var known = string.Join(", ", catalog.Plugins.Select(p => p.Name).Order(StringComparer.Ordinal));
        errors.Add(new ConfigDiagnostic(service.Location,
            $"[config:{service.Name}]: unknown service module '{service.Module}' (plugins loaded: {(known.Length == 0 ? "none" : known)})"));
        return null;
    }
}
