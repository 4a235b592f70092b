namespace Hub.PluginHost;

/// <summary>
/// Watches what the running configuration is made of (<see cref="ReloadInputs"/>) and nothing else: the configuration
/// file and its own files, plugin files inside plugin folders, and plugin folders that appear or vanish. After a burst of
/// such changes settles (<see cref="Debounce"/> without another one), calls back once with what changed. Every other file
/// (the hub's log, a target's output, editor swap files, <c>.hub-state</c>) is ignored, so the hub's own writes never
/// make it reload, even with everything in one folder (<c>plugins = .</c>).
/// </summary>
internal sealed class ReloadWatcher : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    /// <summary>How many changed paths the reason names before it counts the rest.</summary>
    private const int NamedChanges = 3;

    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private readonly Action<string> _reload;
    private readonly List<string> _changes = [];
    private readonly HashSet<string> _changedPaths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _touchedFolders = new(StringComparer.Ordinal);
    private List<FileSystemWatcher> _watchers = [];
    private ReloadInputs _inputs;
    private HashSet<string> _pluginFolders;
    private bool _disposed;

    public ReloadWatcher(ReloadInputs inputs, TimeProvider time, Action<string> reload)
    {
        _reload = reload;
        _inputs = inputs;
        _pluginFolders = new HashSet<string>(inputs.PluginFolders(), StringComparer.Ordinal);
        _timer = time.CreateTimer(_ => OnSettled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watchers = Watch(inputs);
    }

    /// <summary>
    /// Watches what a reloaded configuration is made of from now on (changes already seen still count). When the new
    /// watches cannot be set up (an <see cref="IOException"/>: the system's inotify limits), the old ones stay.
    /// </summary>
    public void Update(ReloadInputs inputs)
    {
        var watchers = Watch(inputs);
        List<FileSystemWatcher> old;
        lock (_gate)
        {
            _inputs = inputs;
            _pluginFolders = new HashSet<string>(inputs.PluginFolders(), StringComparer.Ordinal);
            (old, _watchers) = (_watchers, watchers);
        }

        old.ForEach(w => w.Dispose());
    }

    /// <summary>
    /// One recursive watcher per plugin directory, one plain watcher per other directory holding an input. A directory
    /// that does not exist yet is not watched: creating it needs a SIGHUP (or a change to the configuration file).
    /// </summary>
    private List<FileSystemWatcher> Watch(ReloadInputs inputs)
    {
        var watchers = new List<FileSystemWatcher>();
        var recursive = inputs.PluginDirectories.Where(Directory.Exists).ToList();
        var plain = inputs.OwnFiles.Append(inputs.ConfigFile).Select(Path.GetDirectoryName).OfType<string>()
            .Concat(inputs.AssemblyFolders)
            .Where(d => Directory.Exists(d) && !recursive.Any(r => d == r || d.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal);
        try
        {
            foreach (var (directory, subdirectories) in recursive.Select(d => (d, true)).Concat(plain.Select(d => (d, false))))
            {
                try
                {
                    watchers.Add(Watcher(directory, subdirectories));
                }
                catch (Exception ex) when (ex is ArgumentException or DirectoryNotFoundException or FileNotFoundException)
                {
                    // Removed since it was listed: as if it had not existed.
                }
            }
        }
        catch
        {
            // Out of inotify instances or watches, say: the caller reports it.
            watchers.ForEach(w => w.Dispose());
            throw;
        }

        return watchers;
    }

    private FileSystemWatcher Watcher(string directory, bool subdirectories)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = subdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += OnChanged;
        watcher.Created += OnChanged;
        watcher.Deleted += OnChanged;
        watcher.Renamed += OnChanged;
        watcher.Error += OnError;
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        var change = e.ChangeType.ToString().ToLowerInvariant();
        var relevant = Consider(e.FullPath, change);
        if (e is RenamedEventArgs renamed)
        {
            relevant |= Consider(renamed.OldFullPath, "renamed");
        }

        if (relevant)
        {
            Arm();
        }
    }

    // Events were lost (the kernel's queue overflowed): whatever they were, let the fingerprint decide.
    private void OnError(object sender, ErrorEventArgs e)
    {
        lock (_gate)
        {
            Note($"file changes were lost ({e.GetException().Message})");
        }

        Arm();
    }

    /// <summary>Records a change that can matter; false for every other file.</summary>
    private bool Consider(string path, string change)
    {
        lock (_gate)
        {
            if (_inputs.IsInput(path))
            {
                if (_changedPaths.Add(path))
                {
                    Note($"{path} {change}");
                }

                return true;
            }

            // A folder appearing, vanishing or renamed right under a plugin directory: whether it is (or was) a
            // plugin folder is decided once the burst has settled (a copy creates the folder before its files).
            return _inputs.IsPluginFolderPath(path) && (_pluginFolders.Contains(path) || Directory.Exists(path)) && _touchedFolders.Add(path);
        }
    }

    private void Note(string change) => _changes.Add(change);

    private void Arm()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnSettled()
    {
        string reason;
        lock (_gate)
        {
            foreach (var folder in _touchedFolders.Order(StringComparer.Ordinal))
            {
                var isPlugin = ReloadInputs.HoldsPluginFiles(folder);
                var wasPlugin = isPlugin ? !_pluginFolders.Add(folder) : _pluginFolders.Remove(folder);
                if (isPlugin != wasPlugin)
                {
                    Note($"plugin folder {folder} {(isPlugin ? "added" : "removed")}");
                }
            }

            _touchedFolders.Clear();
            if (_changes.Count == 0 || _disposed)
            {
                return;
            }

            reason = string.Join("; ", _changes.Take(NamedChanges))
                + (_changes.Count > NamedChanges ? $"; and {_changes.Count - NamedChanges} more" : "");
            _changes.Clear();
            _changedPaths.Clear();
        }

        _reload(reason);
    }

    public void Dispose()
    {
        List<FileSystemWatcher> watchers;
        lock (_gate)
        {
            _disposed = true;
            watchers = _watchers;
            _watchers = [];
        }

        watchers.ForEach(w => w.Dispose());
        _timer.Dispose();
    }
}
