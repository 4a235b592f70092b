using Hub.PluginHost;
using Hub.PluginHost.Options;
using Hub.Plugins;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Conformance;

/// <summary>
/// Every plugin folder follows the same shape (Telegraf's rule): code, an options class, a README.md,
/// a sample.ini that passes <c>hub check</c>, and a plugin name that is the folder's name
/// (ignoring case, and the '-' or '_' of mqttwarn's names).
/// </summary>
public sealed class PluginFolderTests
{
    private static readonly Lazy<PluginCatalog> Catalog = new(() => PluginCatalog.Discover([Repo.PluginDirectory]));

    [Fact]
    public void The_walk_finds_the_built_in_plugins() =>
        Assert.Superset(new HashSet<string> { "Plugins/Bridges/MqttPub", "Plugins/Notify/Log", "Plugins/Storage/File" }, PluginFolders.All().ToHashSet());

    [Theory]
    [MemberData(nameof(PluginFolders.Data), MemberType = typeof(PluginFolders))]
    public void A_plugin_folder_has_code_a_readme_and_a_sample(string folder)
    {
        var path = PluginFolders.FullPath(folder);
        Assert.NotEmpty(Directory.EnumerateFiles(path, "*.cs"));
        Assert.True(File.Exists(Path.Combine(path, "README.md")), $"{folder} has no README.md");
        Assert.True(File.Exists(Path.Combine(path, "sample.ini")), $"{folder} has no sample.ini");
    }

    [Theory]
    [MemberData(nameof(PluginFolders.Data), MemberType = typeof(PluginFolders))]
    public void A_plugin_assembly_holds_one_plugin_named_like_its_folder(string folder)
    {
        var plugin = PluginOf(folder);
        // mqttwarn's names may hold '-' or '_' (alexa-notify-me); a folder name cannot, so they are ignored.
        Assert.Equal(Path.GetFileName(folder), plugin.Name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
        Assert.False(string.IsNullOrWhiteSpace(plugin.Description), $"[Plugin(\"{plugin.Name}\")] in {folder} needs a Description (shown by hub plugins)");
    }

    [Theory]
    [MemberData(nameof(PluginFolders.Data), MemberType = typeof(PluginFolders))]
    public void A_plugin_takes_an_options_class_declared_in_its_folder_and_documents_every_option(string folder)
    {
        var plugin = PluginOf(folder);
        var schema = OptionsSchema.ForPlugin(plugin.Type);
        Assert.True(schema is not null, $"{plugin.Type.Name} must take its options class in its constructor (an empty one when there are no options)");
        Assert.True(File.Exists(Path.Combine(PluginFolders.FullPath(folder), schema.Type.Name + ".cs")), $"{schema.Type.Name}.cs is not in {folder}");
        var readme = File.ReadAllText(Path.Combine(PluginFolders.FullPath(folder), "README.md"));
        Assert.All(schema.Options, o => Assert.True(readme.Contains($"`{o.Key}`", StringComparison.Ordinal), $"README.md of {folder} does not document `{o.Key}`"));
    }

    [Theory]
    [MemberData(nameof(PluginFolders.Data), MemberType = typeof(PluginFolders))]
    public void A_plugin_readme_names_every_library_the_plugin_references(string folder)
    {
        var project = System.Xml.Linq.XDocument.Load(Directory.EnumerateFiles(PluginFolders.FullPath(folder), "*.csproj").Single());
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).OfType<string>().ToList();
        var readme = File.ReadAllText(Path.Combine(PluginFolders.FullPath(folder), "README.md"));
        Assert.All(packages, p => Assert.True(readme.Contains(p, StringComparison.Ordinal), $"README.md of {folder} does not name the library {p}"));
    }

    [Theory]
    [MemberData(nameof(PluginFolders.Data), MemberType = typeof(PluginFolders))]
    public async Task The_sample_passes_hub_check_without_warnings(string folder)
    {
        var sample = Path.Combine(PluginFolders.FullPath(folder), "sample.ini");
        var (code, output, error) = await CliRunner.RunAsync("check", "--config", sample, "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, $"hub check {sample}:\n{error}");
        Assert.Contains("OK", output);
        Assert.DoesNotContain("warning", error);
    }

    [Theory]
    [MemberData(nameof(PluginFolders.Data), MemberType = typeof(PluginFolders))]
    public async Task The_sample_is_installed_beside_the_plugin_for_hub_sample(string folder)
    {
        var plugin = PluginOf(folder);
        var (code, output, error) = await CliRunner.RunAsync("sample", plugin.Name, "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(Path.Combine(PluginFolders.FullPath(folder), "sample.ini")), output);
    }

    private static PluginDescriptor PluginOf(string folder)
    {
        var project = PluginFolders.ProjectName(folder);
        var installed = Path.Combine(Repo.PluginDirectory, project, project + ".dll");
        var plugins = Catalog.Value.Plugins.Where(p => Path.GetFullPath(p.AssemblyPath) == Path.GetFullPath(installed)).ToList();
        Assert.True(plugins.Count == 1, $"{installed} should hold exactly one [{nameof(PluginAttribute)}] class, found {plugins.Count}");
        return plugins[0];
    }
}
