using Hub.Tests.Support;

namespace Hub.Tests.Conformance;

/// <summary>The plugin folders under <c>Plugins/</c>: every folder with a project file, except <c>Common</c>.</summary>
public static class PluginFolders
{
    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "Plugins"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetDirectoryName(p)!)
            .Where(d => Path.GetFileName(d) != "Common")
            .Select(d => Path.GetRelativePath(Repo.Root, d).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> Data() => new(All());

    public static string FullPath(string folder) => Path.Combine(Repo.Root, folder);

    /// <summary>The project name, which is also the installed folder and assembly name (<c>plugins/File/File.dll</c>).</summary>
    public static string ProjectName(string folder) =>
        Path.GetFileNameWithoutExtension(Directory.EnumerateFiles(FullPath(folder), "*.csproj").Single());
}
