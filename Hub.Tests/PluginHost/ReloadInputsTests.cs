using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

public sealed class ReloadInputsTests : IDisposable
{
    private readonly ReloadFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("hub.ini")]
    [InlineData("FixtureLineSink/FixtureLineSink.dll")]
    [InlineData("FixtureLineSink/FixtureLineSink.deps.json")]
    [InlineData("FixtureLineSink/FixtureLineSink.runtimeconfig.json")]
    [InlineData("FixtureLineSink/Dependency.dll")]
    [InlineData("FixtureLineSink/runtimes/linux-x64/native/libnative.so")]
    [InlineData("NewPlugin/NewPlugin.dll")]
    public void The_configuration_file_and_plugin_files_in_a_plugin_folder_are_inputs(string relative) =>
        Assert.True(_folder.Inputs().IsInput(_folder.File(relative)));

    [Theory]
    [InlineData("hub.log")]
    [InlineData("out.txt")]
    [InlineData("FixtureLineSink/out.txt")]
    [InlineData("FixtureLineSink/FixtureLineSink.pdb")]
    [InlineData(".hub.ini.swp")]
    [InlineData("hub.ini~")]
    [InlineData("4913")]
    [InlineData("FixtureLineSink/.FixtureLineSink.dll.swp")]
    [InlineData(".hub-state/journal/lines-out.journal")]
    [InlineData(".hub-state/plugins/Stored.dll")]
    [InlineData("Stray.dll")]
    public void Logs_output_swap_files_the_state_directory_and_loose_files_are_not_inputs(string relative) =>
        Assert.False(_folder.Inputs().IsInput(_folder.File(relative)));

    [Fact]
    public void Files_the_configuration_names_as_its_own_are_inputs_wherever_they_are()
    {
        _folder.Write("secrets/token", "s3cret");
        _folder.Write("udf.csx", "string Hello(string topic) => topic;\n");
        _folder.Write("hub.ini", ReloadFolder.DefaultConfig
            .Replace("launch = lines\n", "launch = lines, own\nfunctions = udf.csx\n", StringComparison.Ordinal)
            .Replace("[config:lines]\n", "[config:lines]\ntoken = $FILE:secrets/token\n", StringComparison.Ordinal)
            + "template = note.j2\n\n[config:own]\nmodule = lib/Own.dll\n");

        var inputs = _folder.Inputs();

        Assert.Equal(
            new[] { "lib/Own.deps.json", "lib/Own.dll", "lib/Own.runtimeconfig.json", "secrets/token", "templates/note.j2", "udf.csx" }.Select(_folder.File),
            inputs.OwnFiles.Where(f => f.StartsWith(_folder.Path, StringComparison.Ordinal)));
        Assert.True(inputs.IsInput(_folder.File("secrets/token")));
        Assert.True(inputs.IsInput(_folder.File("lib/Private.dll")), "a private dependency beside a module assembly");
        Assert.False(inputs.IsInput(_folder.File("lib/notes.txt")));
    }

    [Fact]
    public void Direct_subfolders_of_a_plugin_directory_are_plugin_folder_paths_but_the_state_directory_is_not()
    {
        var inputs = _folder.Inputs();

        Assert.True(inputs.IsPluginFolderPath(_folder.PluginFolder));
        Assert.True(inputs.IsPluginFolderPath(_folder.File("Removed")));
        Assert.False(inputs.IsPluginFolderPath(_folder.File(".hub-state")));
        Assert.False(inputs.IsPluginFolderPath(_folder.File("FixtureLineSink/runtimes")));
        Assert.Equal([_folder.PluginFolder], inputs.PluginFolders());
    }
}
