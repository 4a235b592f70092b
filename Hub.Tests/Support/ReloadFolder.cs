using Hub.Config;
using Hub.PluginHost;
using Hub.Tests.PluginHost;

namespace Hub.Tests.Support;

/// <summary>
/// Everything in one folder, as a new user sets it up: <c>hub.ini</c> with <c>plugins = .</c> beside the installed
/// FixtureLineSink plugin folder; <see cref="Inputs"/> loads it and says what a reload would read.
/// </summary>
internal sealed class ReloadFolder : IDisposable
{
    public const string DefaultConfig = "[defaults]\nplugins = ['.']\nlaunch = lines\n\n[config:lines]\nmodule = fixture_lines\npath = 'out.txt'\ntargets = {'out': []}\n\n[stream/#]\ntargets = lines:out\n";

    private readonly TempDirectory _temp = new();

    public ReloadFolder(string config = DefaultConfig)
    {
        InstallPlugin("FixtureLineSink");
        Ini = _temp.Write("hub.ini", config);
    }

    public string Path => _temp.Path;
    public string Ini { get; }
    public string PluginFolder => File("FixtureLineSink");
    public string PluginDll => System.IO.Path.Combine(PluginFolder, "FixtureLineSink.dll");

    public string File(string relative) => System.IO.Path.Combine(_temp.Path, relative);

    public string Write(string relative, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        return _temp.Write(relative, content);
    }

    /// <summary>Copies a built fixture (e.g. FixtureLineSinkV2, the next version) over the installed FixtureLineSink.</summary>
    public void InstallPlugin(string fixture) => FixturePlugins.Copy(System.IO.Path.Combine(FixturePlugins.Directory, fixture), PluginFolder);

    /// <summary>What a reload of the configuration as it is now would read.</summary>
    public ReloadInputs Inputs()
    {
        var loaded = ConfigLoader.Load(Ini);
        Assert.True(loaded.Config is not null, string.Join('\n', loaded.Errors));
        return ReloadInputs.Of(loaded.Config);
    }

    public void Dispose() => _temp.Dispose();
}
