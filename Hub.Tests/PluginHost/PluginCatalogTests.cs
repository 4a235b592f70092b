using System.Xml.Linq;
using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

public sealed class PluginCatalogTests
{
    [Fact]
    public void The_built_in_plugins_are_discovered_from_the_plugin_directory()
    {
        var catalog = PluginCatalog.Discover([Repo.PluginDirectory]);
        Assert.Empty(catalog.Errors);
        Assert.True(catalog.TryGet("file", out var file));
        Assert.EndsWith("File.dll", file.AssemblyPath);
        Assert.True(catalog.TryGet("log", out _));
        Assert.True(catalog.TryGet("mqttpub", out _));
    }

    [Fact]
    public void Each_plugin_lives_in_its_own_load_context_but_shares_the_contract()
    {
        var catalog = PluginCatalog.Discover([Repo.PluginDirectory]);
        catalog.TryGet("file", out var file);
        catalog.TryGet("log", out var log);
        var fileContext = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(file.Type.Assembly);
        var logContext = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(log.Type.Assembly);
        Assert.NotSame(fileContext, logContext);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, fileContext);
        Assert.True(typeof(Hub.Plugins.ISink).IsAssignableFrom(file.Type));
    }

    [Fact]
    public void A_plugin_that_fails_to_load_is_reported_with_its_path_and_the_others_load()
    {
        using var temp = new TempDirectory();
        var broken = Directory.CreateDirectory(Path.Combine(temp.Path, "Broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "Broken.dll"), "this is not an assembly");
        var catalog = PluginCatalog.Discover([temp.Path, Repo.PluginDirectory]);
        var error = Assert.Single(catalog.Errors);
        Assert.EndsWith("Broken.dll", error.Path);
        Assert.True(catalog.TryGet("file", out _));
    }

    [Fact]
    public void A_missing_plugin_directory_is_reported()
    {
        var catalog = PluginCatalog.Discover(["/nonexistent/hub/plugins"]);
        Assert.Contains(catalog.Errors, e => e.Reason.Contains("does not exist"));
    }

    [Fact]
    public void The_hub_project_references_no_plugin_project()
    {
        var project = XDocument.Load(Path.Combine(Repo.Root, "Hub", "Hub.csproj"));
        var references = project.Descendants("ProjectReference").Select(e => (string)e.Attribute("Include")!).ToList();
        Assert.All(references, r => Assert.DoesNotContain("Plugins/", r.Replace('\\', '/').Replace("Plugins.Abstractions", "")));
    }
}
