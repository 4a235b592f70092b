using System.Runtime.Loader;
using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

/// <summary>The libraries a plugin carries privately: read for <c>hub plugins</c>, and kept out of the host.</summary>
public sealed class PluginDependencyTests
{
    [Fact]
    public void A_plugins_deps_json_gives_its_private_packages_with_their_package_versions()
    {
        using var temp = new TempDirectory();
        var plugins = FixturePlugins.Install(temp.Path, "FixtureJsonOld");

        Assert.Equal([new PluginDependency("Newtonsoft.Json", "12.0.3")], PluginDependency.Read(Path.Combine(plugins, "FixtureJsonOld", "FixtureJsonOld.dll")));
    }

    [Fact]
    public void Without_a_deps_json_the_assemblies_beside_the_plugin_are_its_libraries()
    {
        using var temp = new TempDirectory();
        var plugins = FixturePlugins.Install(temp.Path, "FixtureJsonOld");
        File.Delete(Path.Combine(plugins, "FixtureJsonOld", "FixtureJsonOld.deps.json"));

        Assert.Equal([new PluginDependency("Newtonsoft.Json", "12.0.0.0")], PluginDependency.Read(Path.Combine(plugins, "FixtureJsonOld", "FixtureJsonOld.dll")));
    }

    [Theory]
    [InlineData("Smtp", "smtp", "MailKit")]
    [InlineData("Smtp", "smtp", "MimeKit")]
    [InlineData("Telegram", "telegram", "Telegram.Bot")]
    public void A_plugins_library_is_in_its_folder_and_its_load_context_never_in_the_hosts(string folder, string plugin, string library)
    {
        Assert.True(File.Exists(Path.Combine(Repo.PluginDirectory, folder, library + ".dll")), $"{library}.dll is not in plugins/{folder}/");
        Assert.False(File.Exists(Path.Combine(Repo.HubDirectory, library + ".dll")), $"{library}.dll is in the hub's own folder");
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, library + ".dll")), $"{library}.dll is beside the tests");

        var catalog = PluginCatalog.Discover([Repo.PluginDirectory]);
        try
        {
            Assert.True(catalog.TryGet(plugin, out var descriptor));
            var context = AssemblyLoadContext.GetLoadContext(descriptor.Type.Assembly)!;
            Assert.NotSame(AssemblyLoadContext.Default, context);
            var reference = descriptor.Type.Assembly.GetReferencedAssemblies().Single(a => a.Name == library);
            Assert.Equal(library, context.LoadFromAssemblyName(reference).GetName().Name);
            Assert.Contains(context.Assemblies, a => a.GetName().Name == library);
            Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == library);
        }
        finally
        {
            catalog.Unload();
        }
    }
}
