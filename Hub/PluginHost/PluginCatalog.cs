using System.Reflection;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>
/// Discovers plugins: every <c>DIR/NAME/NAME.dll</c> under the plugin directories, each loaded from a
/// shadow copy of its folder in its own collectible <see cref="PluginLoadContext"/>. A plugin that fails
/// to load is reported with its path and the reason; the others load. <see cref="Unload"/> releases them
/// all (hot reload builds a new catalog, then unloads the old one).
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, PluginDescriptor> _byName = new(StringComparer.Ordinal);
    private readonly List<PluginLoadError> _errors = [];
    private readonly Dictionary<string, PluginLoadError> _unloadable = new(StringComparer.Ordinal);
    private readonly List<Assembly> _assemblies = [];
    private readonly List<(PluginLoadContext Context, string? Copy)> _contexts = [];

    public IReadOnlyCollection<PluginDescriptor> Plugins => _byName.Values;
    public IReadOnlyList<PluginLoadError> Errors => _errors;

    /// <summary>Plugin names declared by assemblies that failed to load, with the failure: a service using one is told why.</summary>
    public IReadOnlyDictionary<string, PluginLoadError> Unloadable => _unloadable;

    /// <summary>Every assembly loaded so far (their <c>[HubFunction]</c> exports are user functions).</summary>
    public IReadOnlyList<Assembly> Assemblies => _assemblies;

    /// <summary>The default plugin directory: <c>plugins/</c> beside the hub executable.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    public static PluginCatalog Discover(IEnumerable<string> directories)
    {
        var catalog = new PluginCatalog();
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                catalog._errors.Add(new PluginLoadError(directory, "plugin directory does not exist"));
                continue;
            }

            foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
            {
                var dll = Path.Combine(folder, Path.GetFileName(folder) + ".dll");
                if (File.Exists(dll))
                {
                    catalog.Load(Path.GetFullPath(dll), shadowCopy: true);
                }
            }
        }

        return catalog;
    }

    public bool TryGet(string name, out PluginDescriptor descriptor) => _byName.TryGetValue(name, out descriptor!);

    /// <summary>Loads the plugins of one assembly in place (<c>module = path/to/X.dll</c>).</summary>
    public IReadOnlyList<PluginDescriptor> LoadAssembly(string path) => Load(Path.GetFullPath(path), shadowCopy: false);

    /// <summary>
    /// Unloads every plugin context of this catalog. The caller must have dropped every instance and type
    /// of these plugins first; the runtime then collects the contexts at a later garbage collection.
    /// </summary>
    public void Unload()
    {
        foreach (var (context, _) in _contexts)
        {
            context.Unload();
        }

        _byName.Clear();
        foreach (var (_, copy) in _contexts)
        {
            if (copy is not null)
            {
                ShadowCopy.Delete(copy);
            }
        }

        _contexts.Clear();
        _assemblies.Clear();
    }

    private IReadOnlyList<PluginDescriptor> Load(string path, bool shadowCopy)
    {
        var found = new List<PluginDescriptor>();
        string? copy = null;
        PluginLoadContext? context = null;
        System.Reflection.Assembly? assembly = null;
        var exportsFunctions = false;
        try
        {
            copy = shadowCopy ? ShadowCopy.Create(Path.GetDirectoryName(path)!) : null;
            var runFrom = copy is null ? path : Path.Combine(copy, Path.GetFileName(path));
            context = new PluginLoadContext(runFrom);
            assembly = context.LoadFromAssemblyPath(runFrom);
            var version = assembly.GetName().Version?.ToString() ?? "0.0.0";
            var types = GetLoadableTypes(assembly, path).ToList(); // once: it reports the types that failed to load
            foreach (var type in types)
            {
                var attribute = type.GetCustomAttribute<PluginAttribute>();
                if (attribute is null || type.IsAbstract)
                {
                    continue;
                }

                var descriptor = new PluginDescriptor(attribute.Name, type, path, attribute.Description, version);
                if (descriptor.Kinds == PluginKinds.None)
                {
                    _errors.Add(new PluginLoadError(path, $"plugin '{attribute.Name}' ({type.FullName}) implements no plugin interface ({KnownInterfaces})"));
                    continue;
                }

                if (_byName.TryGetValue(attribute.Name, out var existing))
                {
                    _errors.Add(new PluginLoadError(path, $"plugin name '{attribute.Name}' is already provided by {existing.AssemblyPath}"));
                    continue;
                }

                _byName[attribute.Name] = descriptor;
                found.Add(descriptor);
            }

            // An assembly may only export [HubFunction] methods (user functions); that is not an error.
            exportsFunctions = types.Any(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.IsDefined(typeof(HubFunctionAttribute))));
            if (found.Count == 0 && !exportsFunctions && !_errors.Any(e => e.Path == path))
            {
                _errors.Add(new PluginLoadError(path, $"no public class with [Plugin] implementing {KnownInterfaces}"));
            }
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException or IOException or UnauthorizedAccessException)
        {
            _errors.Add(new PluginLoadError(path, ex.Message));
        }

        if (context is not null && assembly is not null && (found.Count > 0 || exportsFunctions))
        {
            _contexts.Add((context, copy));
            _assemblies.Add(assembly);
        }
        else
        {
            context?.Unload();
            if (copy is not null)
            {
                ShadowCopy.Delete(copy);
            }
        }

        RememberUnloadable(path);
        return found;
    }

    /// <summary>The names of the plugins in <paramref name="path"/> that did not load, each with the assembly's first error.</summary>
    private void RememberUnloadable(string path)
    {
        if (_errors.FirstOrDefault(e => e.Path == path) is not { } error)
        {
            return;
        }

        foreach (var name in PluginNames.Read(path).Where(n => !_byName.ContainsKey(n)))
        {
            _unloadable.TryAdd(name, error);
        }
    }

    private const string KnownInterfaces = "ISink, IMessageFilter, IMessageTransform, IAnalytics, IMessageSource or IScheduledJob";

    private IEnumerable<Type> GetLoadableTypes(Assembly assembly, string path)
    {
        try
        {
            return assembly.GetTypes().Where(t => t.IsPublic);
        }
        catch (ReflectionTypeLoadException ex)
        {
            // Report why the others failed (usually a missing dependency), and keep the types that loaded.
            foreach (var reason in ex.LoaderExceptions.OfType<Exception>().Select(e => e.Message).Distinct(StringComparer.Ordinal))
            {
                _errors.Add(new PluginLoadError(path, reason));
            }

            return ex.Types.Where(t => t is { IsPublic: true })!;
        }
    }
}
