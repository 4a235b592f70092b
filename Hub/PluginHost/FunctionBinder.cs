using System.Reflection;
using Hub.Config;
using Hub.Config.Sections;
using Hub.Config.Values;
using Hub.Functions;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.PluginHost;

/// <summary>
/// Binds every function reference of a configuration (topic-section hooks, function <c>targets</c>,
/// <c>[cron]</c>) and every <c>template</c> once, and reports what does not resolve or does not fit
/// as errors at the INI line that names it. Sets <see cref="HubConfig.Functions"/>.
/// </summary>
internal static class FunctionBinder
{
    private static readonly (string Key, HookKind Kind)[] Hooks =
    [
        ("filter", HookKind.Filter), ("datamap", HookKind.Datamap), ("alldata", HookKind.Alldata), ("format", HookKind.Value),
        ("title", HookKind.Value), ("priority", HookKind.Value), ("image", HookKind.Value),
    ];

    /// <param name="config">The loaded configuration.</param>
    /// <param name="pluginAssemblies">Assemblies loaded by the plugin catalog; their <c>[HubFunction]</c> exports win over the script.</param>
    /// <param name="loggers">For the functions' <see cref="HookContext.Logger"/>.</param>
    /// <param name="publisher">For <see cref="HookContext.Publish"/>; null when offline.</param>
    public static List<ConfigDiagnostic> Bind(HubConfig config, IEnumerable<Assembly> pluginAssemblies, ILoggerFactory loggers, IMessagePublisher? publisher)
    {
        var errors = new List<ConfigDiagnostic>();
        var registry = new FunctionRegistry();
        foreach (var assembly in pluginAssemblies)
        {
            registry.AddExports(assembly, assembly.Location);
        }

        var services = new FunctionServices(publisher);
        var before = errors.Count;
        AddFunctionsFile(config, registry, errors, services, loggers);
        // A functions file that did not load was reported; the names it should have defined are not reported again.
        var unloaded = errors.Count > before;
        var logger = loggers.CreateLogger("hub.functions");
        var sections = new Dictionary<TopicSection, SectionHooks>();
        foreach (var section in config.Sections.Append(config.Failover).OfType<TopicSection>())
        {
            var options = section.Extra.ToDictionary(p => p.Key, p => PythonLiteral.ParseOrText(p.Value), StringComparer.Ordinal);
            var hooks = new SectionHooks(new HookContext(section.Name, options, logger, services));
            var used = false;
            foreach (var (key, kind) in Hooks)
            {
                if (FunctionReference.TryMatch(Value(section, key), out var name))
                {
                    Set(hooks, key, Resolve(registry, unloaded, name, kind, Location(section, key), section.Name, errors));
                    used = true;
                }
            }

            if (section.Targets is TargetFunction targets)
            {
                hooks.Targets = Resolve(registry, unloaded, targets.FunctionName, HookKind.Targets, section.TargetsLocation ?? section.Location, section.Name, errors);
                used = true;
            }

            if (config.Templates.TryGetValue(section, out var template))
            {
                hooks.Template = template;
                used = true;
            }

            if (used)
            {
                sections[section] = hooks;
            }
        }

        var cronContext = new HookContext(CronReader.SectionName, new Dictionary<string, object?>(), logger, services);
        var cron = new List<CronJob>();
        foreach (var entry in config.Cron)
        {
            if (Resolve(registry, unloaded, entry.FunctionName, HookKind.Cron, entry.Location, CronReader.SectionName, errors) is { } job)
            {
                cron.Add(new CronJob(entry, job, cronContext));
            }
        }

        config.Functions = new FunctionTable(sections, cron, services, TimeSpan.FromSeconds(config.Defaults.PluginTimeout));
        return errors;
    }

    private static void AddFunctionsFile(HubConfig config, FunctionRegistry registry, List<ConfigDiagnostic> errors, FunctionServices services, ILoggerFactory loggers)
    {
        if (config.Script is { } script)
        {
            foreach (var function in script.Functions)
            {
                registry.Add(function);
            }
        }
        else if (config.Defaults.Functions is { } path && path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                registry.AddExports(new PluginLoadContext(path, collectible: false).LoadFromAssemblyPath(path), path);
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ArgumentException)
            {
                errors.Add(new ConfigDiagnostic(new SourceLocation(config.FilePath, config.Defaults.FunctionsLine), $"cannot load the functions assembly {path}: {ex.Message}") { Section = DefaultsReader.SectionName });
            }
        }
        else if (PythonModuleName.IsPython(config.Defaults.Functions))
        {
            foreach (var function in Python.PythonFunctionsFile.Load(config, services, loggers, errors))
            {
                registry.Add(function);
            }
        }
    }

    private static BoundFunction? Resolve(FunctionRegistry registry, bool unloaded, string name, HookKind kind, SourceLocation location, string section, List<ConfigDiagnostic> errors)
    {
        var function = registry.Resolve(name, out var problem);
        var bound = function is null ? null : BoundFunction.Bind(function, kind, out problem);
        if (problem is not null && !(unloaded && function is null))
        {
            errors.Add(new ConfigDiagnostic(location, problem) { Section = section });
        }

        return bound;
    }

    private static string? Value(TopicSection section, string key) => key switch
    {
        "filter" => section.Filter,
        "datamap" => section.Datamap,
        "alldata" => section.Alldata,
        "format" => section.Format,
        "title" => section.Title,
        "priority" => section.Priority,
        _ => section.Image,
    };

    private static void Set(SectionHooks hooks, string key, BoundFunction? function)
    {
        switch (key)
        {
            case "filter": hooks.Filter = function; break;
            case "datamap": hooks.Datamap = function; break;
            case "alldata": hooks.Alldata = function; break;
            case "format": hooks.Format = function; break;
            case "title": hooks.Title = function; break;
            case "priority": hooks.Priority = function; break;
            default: hooks.Image = function; break;
        }
    }

    private static SourceLocation Location(TopicSection section, string key) =>
        section.KeyLines.TryGetValue(key, out var line) ? new SourceLocation(section.Location.File, line) : section.Location;
}
