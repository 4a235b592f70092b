using System.Reflection;
using System.Runtime.Loader;

namespace Hub.PluginHost;

/// <summary>
/// One load context per plugin. The contract and the Microsoft.Extensions abstractions come from the
/// host so that types unify; everything else from the plugin's own <c>.deps.json</c> and folder, so two
/// plugins can carry different versions of one library.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string mainAssemblyPath, bool collectible)
        : base(Path.GetFileNameWithoutExtension(mainAssemblyPath), collectible)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
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
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
