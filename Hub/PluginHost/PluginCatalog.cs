using System.Reflection;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>
/// Discovers plugins: every <c>DIR/NAME/NAME.dll</c> under the plugin directories, each loaded in its
/// own <see cref="PluginLoadContext"/>. A plugin that fails to load is reported; the others load.
/// </summary>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, PluginDescriptor> _byName = new(StringComparer.Ordinal);
    private readonly List<PluginLoadError> _errors = [];
    private readonly List<Assembly> _assemblies = [];

    public IReadOnlyCollection<PluginDescriptor> Plugins => _byName.Values;
    public IReadOnlyList<PluginLoadError> Errors => _errors;

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
                    catalog.LoadAssembly(dll);
                }
            }
        }

        return catalog;
    }

    public bool TryGet(string name, out PluginDescriptor descriptor) => _byName.TryGetValue(name, out descriptor!);

    /// <summary>Loads the plugins of one assembly (also used for <c>module = path/to/X.dll</c>).</summary>
    public IReadOnlyList<PluginDescriptor> LoadAssembly(string path)
    {
        var found = new List<PluginDescriptor>();
        try
        {
            var context = new PluginLoadContext(Path.GetFullPath(path), collectible: false);
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
            _assemblies.Add(assembly);
            var version = assembly.GetName().Version?.ToString() ?? "0.0.0";
            foreach (var type in GetLoadableTypes(assembly))
            {
                var attribute = type.GetCustomAttribute<PluginAttribute>();
                if (attribute is null || type.IsAbstract)
                {
                    continue;
                }

                if (!typeof(ISink).IsAssignableFrom(type))
                {
                    _errors.Add(new PluginLoadError(path, $"plugin '{attribute.Name}' ({type.FullName}) does not implement {nameof(ISink)}"));
                    continue;
                }

                var descriptor = new PluginDescriptor(attribute.Name, type, path, attribute.Description, version);
                if (_byName.TryGetValue(attribute.Name, out var existing))
                {
                    _errors.Add(new PluginLoadError(path, $"plugin name '{attribute.Name}' is already provided by {existing.AssemblyPath}"));
                    continue;
                }

                _byName[attribute.Name] = descriptor;
                found.Add(descriptor);
            }

            // An assembly may only export [HubFunction] methods (user functions); that is not an error.
            var exportsFunctions = GetLoadableTypes(assembly).Any(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.IsDefined(typeof(HubFunctionAttribute))));
            if (found.Count == 0 && !exportsFunctions && !_errors.Any(e => e.Path == path))
            {
                _errors.Add(new PluginLoadError(path, $"no public class with [Plugin] implementing {nameof(ISink)}"));
            }
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException or TypeLoadException)
        {
            _errors.Add(new PluginLoadError(path, ex.Message));
        }

        return found;
    }

    private static IEnumerable<Type> GetLoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}
