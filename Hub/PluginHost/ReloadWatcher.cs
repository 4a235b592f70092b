namespace Hub.PluginHost;

/// <summary>
/// Watches the plugin directories and the configuration file; after a burst of changes settles
/// (<see cref="Debounce"/> without another change), calls back once. Copying a plugin folder raises many
/// events; the debounce turns them into one reload.
/// </summary>
public sealed class ReloadWatcher : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer _timer;
    private readonly Action<string> _reload;
    private string _reason = "";

    public ReloadWatcher(string configFile, IEnumerable<string> pluginDirectories, TimeProvider time, Action<string> reload)
    {
        _reload = reload;
        _timer = time.CreateTimer(_ => _reload(_reason), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var config = Path.GetFullPath(configFile);
        Watch(Path.GetDirectoryName(config)!, Path.GetFileName(config), subdirectories: false);
        foreach (var directory in pluginDirectories.Where(Directory.Exists))
        {
            Watch(directory, "*", subdirectories: true);
        }
    }

    private void Watch(string directory, string filter, bool subdirectories)
    {
        var watcher = new FileSystemWatcher(directory, filter)
        {
            IncludeSubdirectories = subdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += OnChanged;
        watcher.Created += OnChanged;
        watcher.Deleted += OnChanged;
        watcher.Renamed += OnChanged;
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        _reason = $"{e.FullPath} {e.ChangeType.ToString().ToLowerInvariant()}";
        _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _timer.Dispose();
    }
}
