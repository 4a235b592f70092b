using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

public sealed class ConfigFingerprintTests : IDisposable
{
    private readonly ReloadFolder _folder = new(ReloadFolder.DefaultConfig.Replace("[config:lines]\n", "[config:lines]\ntoken = $FILE:token.txt\n", StringComparison.Ordinal));
    private readonly ReloadInputs _inputs;
    private readonly string _running;

    public ConfigFingerprintTests()
    {
        _folder.Write("token.txt", "one");
        _inputs = _folder.Inputs();
        _running = ConfigFingerprint.Of(_inputs);
    }

    public void Dispose() => _folder.Dispose();

    private string Now() => ConfigFingerprint.Of(_inputs);

    [Fact]
    public void Touching_the_configuration_and_the_plugin_files_keeps_the_fingerprint()
    {
        File.SetLastWriteTimeUtc(_folder.Ini, DateTime.UtcNow.AddMinutes(1));
        File.SetLastWriteTimeUtc(_folder.PluginDll, DateTime.UtcNow.AddMinutes(1));
        _folder.InstallPlugin("FixtureLineSink");

        Assert.Equal(_running, Now());
    }

    [Fact]
    public void Comments_blank_lines_and_layout_do_not_count()
    {
        File.WriteAllText(_folder.Ini, "# a comment\n\n" + File.ReadAllText(_folder.Ini).Replace(" = ", "=", StringComparison.Ordinal) + "\n; the end\n");

        Assert.Equal(_running, Now());
    }

    [Fact]
    public void Logs_output_and_state_in_the_plugin_directory_do_not_count()
    {
        _folder.Write("hub.log", "INFO something happened\n");
        _folder.Write("FixtureLineSink/out.txt", "a line\n");
        _folder.Write(".hub-state/journal/lines-out.journal", "record");
        _folder.Write("FixtureLineSink/FixtureLineSink.pdb", "symbols");

        Assert.Equal(_running, Now());
    }

    [Fact]
    public void A_changed_value_changes_the_fingerprint() =>
        AssertChangedBy(() => File.WriteAllText(_folder.Ini, File.ReadAllText(_folder.Ini).Replace("'out.txt'", "'other.txt'", StringComparison.Ordinal)));

    [Fact]
    public void A_changed_file_value_changes_the_fingerprint() => AssertChangedBy(() => _folder.Write("token.txt", "two"));

    [Fact]
    public void A_new_version_of_a_plugin_changes_the_fingerprint() => AssertChangedBy(() => _folder.InstallPlugin("FixtureLineSinkV2"));

    [Fact]
    public void A_plugin_folder_added_changes_the_fingerprint() =>
        AssertChangedBy(() => FixturePlugins.Copy(Path.Combine(FixturePlugins.Directory, "FixtureFilter"), _folder.File("FixtureFilter")));

    [Fact]
    public void A_plugin_folder_removed_changes_the_fingerprint() => AssertChangedBy(() => Directory.Delete(_folder.PluginFolder, recursive: true));

    private void AssertChangedBy(Action change)
    {
        change();
        Assert.NotEqual(_running, Now());
    }
}
