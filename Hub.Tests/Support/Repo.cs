using System.Reflection;

namespace Hub.Tests.Support;

/// <summary>Paths of the repository and of the built hub (the installed layout under artifacts/).</summary>
public static class Repo
{
    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepoRoot");

    /// <summary>artifacts/CONFIGURATION/hub/ : the hub executable and plugins/.</summary>
    public static string HubDirectory => Metadata("HubOutputDir");

    public static string HubExecutable => Path.Combine(HubDirectory, "hub");

    public static string PluginDirectory => Path.Combine(HubDirectory, "plugins");
}
