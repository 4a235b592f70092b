using Hub.PluginHost;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

/// <summary>The fixture plugins of Hub.Tests/Fixtures, built by the test run into artifacts/CONFIG/fixtures/.</summary>
public static class FixturePlugins
{
    public static string Directory => Path.GetFullPath(Path.Combine(Repo.HubDirectory, "..", "fixtures"));

    /// <summary>Installs the named fixtures (e.g. <c>FixtureIdentity</c>) into <c>DIR/plugins/</c>; returns that directory.</summary>
    public static string Install(string root, params string[] names)
    {
        var plugins = Path.Combine(root, "plugins");
        foreach (var name in names)
        {
            Copy(Path.Combine(Directory, name), Path.Combine(plugins, name));
        }

        System.IO.Directory.CreateDirectory(plugins);
        return plugins;
    }

    /// <summary>Replaces an installed fixture's files, as an administrator upgrading a plugin would.</summary>
    public static void Copy(string source, string target)
    {
        Assert.True(System.IO.Directory.Exists(source), $"fixture not built: {source}");
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    public static PluginCatalog Catalog(TempDirectory temp, params string[] names) => PluginCatalog.Discover([Install(temp.Path, names)]);

    public static T Create<T>(PluginCatalog catalog, string plugin, IReadOnlyDictionary<string, object?>? options = null)
    {
        Assert.True(catalog.TryGet(plugin, out var descriptor), $"'{plugin}' not loaded: {string.Join("; ", catalog.Errors)}");
        return (T)PluginActivator.CreateInstance(descriptor, new TestPluginContext(options));
    }

    public static PipelineMessage Message(string payload = "hello") =>
        new() { Topic = "fixtures/test", Payload = System.Text.Encoding.UTF8.GetBytes(payload), PayloadText = payload, Section = "fixtures/#" };
}
