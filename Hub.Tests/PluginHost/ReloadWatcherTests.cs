using System.Threading.Channels;
using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

/// <summary>
/// The watcher on real files, its debounce on a fake clock. Every test that proves a change is ignored ends with a touch of
/// the configuration file as a marker: the one callback that follows names every change the watcher took for a trigger.
/// </summary>
public sealed class ReloadWatcherTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly ReloadFolder _folder = new();
    private readonly TempDirectory _elsewhere = new();
    private readonly FakeTimeProvider _time = new();
    private readonly Channel<string> _reloads = Channel.CreateUnbounded<string>();
    private readonly ReloadWatcher _watcher;

    public ReloadWatcherTests() => _watcher = new ReloadWatcher(_folder.Inputs(), _time, reason => _reloads.Writer.TryWrite(reason));

    public void Dispose()
    {
        _watcher.Dispose();
        _elsewhere.Dispose();
        _folder.Dispose();
    }

    /// <summary>
    /// Lets the watcher's debounce elapse each time it is armed until it calls back; returns the reason. (A burst that
    /// settles with nothing to reload, e.g. an empty folder created, calls back nothing, and the next change arms it again.)
    /// </summary>
    private async Task<string> NextReloadAsync()
    {
        while (true)
        {
            await _time.WaitForTimerAsync(ReloadWatcher.Debounce, Wait);
            _time.Advance(ReloadWatcher.Debounce);
            if (_reloads.Reader.TryRead(out var reason))
            {
                return reason;
            }
        }
    }

    private string TouchIni()
    {
        File.SetLastWriteTimeUtc(_folder.Ini, DateTime.UtcNow.AddMinutes(1));
        return $"{_folder.Ini} changed";
    }

    [Fact]
    public async Task The_hubs_log_a_targets_output_swap_files_and_the_state_directory_trigger_nothing()
    {
        for (var i = 0; i < 20; i++)
        {
            File.AppendAllText(_folder.File("hub.log"), $"line {i}\n");
            File.AppendAllText(_folder.File("FixtureLineSink/out.txt"), $"line {i}\n");
        }

        _folder.Write(".hub.ini.swp", "swap");
        _folder.Write("hub.ini~", "backup");
        _folder.Write(".hub-state/journal/lines-out.journal", "record");
        _folder.Write("data/readings.csv", "1,2\n");
        File.Delete(_folder.File("hub.log"));

        var marker = TouchIni();

        Assert.Equal(marker, await NextReloadAsync());
    }

    [Fact]
    public async Task A_burst_of_changes_to_the_configuration_names_it_once()
    {
        for (var i = 0; i < 20; i++)
        {
            File.AppendAllText(_folder.Ini, $"# edit {i}\n");
        }

        Assert.Equal($"{_folder.Ini} changed", await NextReloadAsync());
    }

    [Fact]
    public async Task A_new_version_of_a_plugin_triggers_a_reload()
    {
        _folder.InstallPlugin("FixtureLineSinkV2");

        Assert.Contains(_folder.PluginDll, await NextReloadAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_folder_moved_in_triggers_a_reload_an_empty_folder_does_not()
    {
        var staged = Path.Combine(_elsewhere.Path, "FixtureFilter");
        FixturePlugins.Copy(Path.Combine(FixturePlugins.Directory, "FixtureFilter"), staged);
        Directory.CreateDirectory(_folder.File("empty"));

        Directory.Move(staged, _folder.File("FixtureFilter"));

        Assert.Equal($"plugin folder {_folder.File("FixtureFilter")} added", await NextReloadAsync());
    }

    [Fact]
    public async Task A_plugin_folder_moved_out_triggers_a_reload()
    {
        Directory.Move(_folder.PluginFolder, Path.Combine(_elsewhere.Path, "FixtureLineSink"));

        Assert.Equal($"plugin folder {_folder.PluginFolder} removed", await NextReloadAsync());
    }

    [Fact]
    public async Task After_an_update_the_files_the_new_configuration_names_are_watched()
    {
        var token = _folder.Write("secrets/token", "one");
        File.WriteAllText(_folder.Ini, File.ReadAllText(_folder.Ini).Replace("[config:lines]\n", "[config:lines]\ntoken = $FILE:secrets/token\n", StringComparison.Ordinal));
        await NextReloadAsync();

        _watcher.Update(_folder.Inputs());
        File.WriteAllText(token, "two");

        // The configuration's own write may still be settling in a callback of its own first.
        var reason = await NextReloadAsync();
        reason = reason.Contains(_folder.Ini, StringComparison.Ordinal) ? await NextReloadAsync() : reason;
        Assert.Equal($"{token} changed", reason);
    }
}
