using System.Reflection;
using System.Text.Json;

namespace Hub.PluginHost;

/// <summary>
/// A library a plugin carries in its own folder and loads in its own context (MailKit for smtp,
/// Telegram.Bot for telegram): its name and version, as <c>hub plugins</c> shows them.
/// </summary>
public sealed record PluginDependency(string Name, string Version)
{
    /// <summary>
    /// The private libraries of the plugin at <paramref name="assemblyPath"/>, by name: from its
    /// <c>.deps.json</c> (package versions, only the libraries whose files are in the folder), else
    /// the assemblies beside it (assembly versions). Assemblies the host shares with every plugin (the
    /// contract, Microsoft.Extensions.*) are not private and not listed.
    /// </summary>
    public static IReadOnlyList<PluginDependency> Read(string assemblyPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        var depsJson = Path.ChangeExtension(assemblyPath, ".deps.json");
        var found = File.Exists(depsJson) ? FromDepsJson(depsJson, folder, Path.GetFileName(assemblyPath)) : FromFolder(folder, assemblyPath);
        return [.. found.DistinctBy(d => d.Name, StringComparer.OrdinalIgnoreCase).OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)];
    }

    private static IEnumerable<PluginDependency> FromDepsJson(string path, string folder, string mainFile)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return FromFolder(folder, Path.Combine(folder, mainFile));
        }

        if (!root.TryGetProperty("runtimeTarget", out var runtimeTarget) || !runtimeTarget.TryGetProperty("name", out var targetName)
            || !root.TryGetProperty("targets", out var targets) || !targets.TryGetProperty(targetName.GetString()!, out var target))
        {
            return FromFolder(folder, Path.Combine(folder, mainFile));
        }

        var libraries = root.TryGetProperty("libraries", out var l) ? l : default;
        var dependencies = new List<PluginDependency>();
        foreach (var library in target.EnumerateObject())
        {
            // "runtime" assets are copied flat into the folder; "runtimeTargets" and "native" keep their relative path.
            var flat = Assets(library.Value, "runtime").Select(Path.GetFileName).OfType<string>().ToList();
            if (flat.Contains(mainFile, StringComparer.OrdinalIgnoreCase))
            {
                continue; // the plugin itself
            }

            var present = flat.Where(f => File.Exists(Path.Combine(folder, f)))
                .Concat(Assets(library.Value, "runtimeTargets").Concat(Assets(library.Value, "native")).Where(f => File.Exists(Path.Combine(folder, f))))
                .ToList();
            if (present.Count == 0 || present.All(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && IsShared(Path.GetFileNameWithoutExtension(f))))
            {
                continue; // not shipped (the framework's copy wins), or the host's shared copy is used
            }

            var (name, version) = library.Name.Split('/') is [var n, var v] ? (n, v) : (library.Name, "?");
            var isPackage = libraries.ValueKind == JsonValueKind.Object && libraries.TryGetProperty(library.Name, out var info)
                && info.TryGetProperty("type", out var type) && type.GetString() == "package";
            var assembly = flat.FirstOrDefault(f => f.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
            dependencies.Add(new PluginDependency(isPackage || assembly is null ? name : Path.GetFileNameWithoutExtension(assembly), version));
        }

        return dependencies;
    }

    private static IEnumerable<string> Assets(JsonElement library, string kind) =>
        library.TryGetProperty(kind, out var assets) && assets.ValueKind == JsonValueKind.Object ? assets.EnumerateObject().Select(a => a.Name) : [];

    private static IEnumerable<PluginDependency> FromFolder(string folder, string assemblyPath)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.dll"))
        {
            if (string.Equals(Path.GetFullPath(file), Path.GetFullPath(assemblyPath), StringComparison.Ordinal))
            {
                continue;
            }

            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(file);
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or IOException)
            {
                continue; // a native library
            }

            if (!PluginLoadContext.IsShared(name))
            {
                yield return new PluginDependency(name.Name ?? Path.GetFileNameWithoutExtension(file), name.Version?.ToString() ?? "?");
            }
        }
    }

    private static bool IsShared(string assemblyName) => PluginLoadContext.IsShared(new AssemblyName(assemblyName));
}
