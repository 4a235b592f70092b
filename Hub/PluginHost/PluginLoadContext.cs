using System.Reflection;
using System.Runtime.Loader;

namespace Hub.PluginHost;

/// <summary>
/// One collectible load context per plugin. The contract and the Microsoft.Extensions abstractions come
/// from the host so that types unify; everything else from the plugin's own <c>.deps.json</c> and folder,
/// so two plugins can carry different versions of one library, native libraries included.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _folder;

    public PluginLoadContext(string mainAssemblyPath, bool collectible = true)
        : base(Path.GetFileNameWithoutExtension(mainAssemblyPath), collectible)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _folder = Path.GetDirectoryName(mainAssemblyPath)!;
    }

    public static bool IsShared(AssemblyName name) =>
        name.Name is { } n && (n == "Hub.Plugins.Abstractions" || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsShared(assemblyName))
        {
            return null; // the host's copy, from the default context
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is not null)
        {
            return LoadFromAssemblyPath(path);
        }

        if (assemblyName.Name is { } name && FrameworkAssemblies.Contains(name))
        {
            return null; // the shared framework (System.*, ASP.NET Core), from the default context
        }

        // Never fall back to whatever the host happens to have loaded: a plugin gets its own dependencies or an error.
        throw new FileNotFoundException($"Could not load '{assemblyName.FullName}': it is neither in the plugin folder {_folder} nor in the shared framework");
    }

    /// <summary>The assemblies of the installed shared frameworks (Microsoft.NETCore.App, Microsoft.AspNetCore.App).</summary>
    private static readonly HashSet<string> FrameworkAssemblies = FindFrameworkAssemblies();

    private static HashSet<string> FindFrameworkAssemblies()
    {
        var sharedRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)))!;
        var trusted = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return trusted.Where(p => p.StartsWith(sharedRoot, StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // The .deps.json first (runtimes/<rid>/native/), then the plugin's own folder, so a plugin can
        // ship a native library beside its assembly without listing it.
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) ?? ProbeFolder(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private string? ProbeFolder(string name)
    {
        string[] candidates = OperatingSystem.IsWindows() ? [name, name + ".dll"]
            : OperatingSystem.IsMacOS() ? [name, "lib" + name + ".dylib", name + ".dylib"]
            : [name, "lib" + name + ".so", name + ".so"];
        return candidates.Select(c => Path.Combine(_folder, c)).FirstOrDefault(File.Exists);
    }
}
