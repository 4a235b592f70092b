using Hub.Tests.PluginHost;

namespace Hub.Tests.Support;

/// <summary>A plugin directory for one test: the named built-in plugins (e.g. <c>Log</c>) and fixture plugins (e.g. <c>FixtureBroken</c>).</summary>
public static class GraphPlugins
{
    /// <summary>Installs the plugins into <c>ROOT/plugins/</c> and returns that directory.</summary>
    public static string Install(string root, string[] builtIn, params string[] fixtures)
    {
        var plugins = FixturePlugins.Install(root, fixtures);
        foreach (var name in builtIn)
        {
            FixturePlugins.Copy(Path.Combine(Repo.PluginDirectory, name), Path.Combine(plugins, name));
        }

        return plugins;
    }
}
