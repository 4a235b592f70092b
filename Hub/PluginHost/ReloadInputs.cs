using Hub.Config;
using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.PluginHost;

/// <summary>
/// The files a reload reads again, so the only files whose change can change the hub: the configuration file; the
/// files it names as its own (the <c>functions</c> script or assembly, the <c>template</c> files, every
/// <c>$FILE:</c> value, <c>module = X.dll</c> assemblies); and the plugins' code and manifests (<see cref="IsPluginFile"/>)
/// in the plugin folders, i.e. the direct subfolders of the plugin directories. Logs, data, a target's output,
/// editor swap files and the state directory (<c>.hub-state</c>) are none of these.
/// </summary>
internal sealed class ReloadInputs
{
    private static readonly string[] PluginFileEndings = [".dll", ".deps.json", ".runtimeconfig.json", ".so", ".dylib"];
    private static readonly StringComparer PathComparer = StringComparer.Ordinal;

    private ReloadInputs(string configFile, IEnumerable<string> ownFiles, IEnumerable<string> pluginDirectories, IEnumerable<string> assemblyFolders, string stateDirectory)
    {
        ConfigFile = Path.GetFullPath(configFile);
        OwnFiles = new SortedSet<string>(ownFiles.Select(Path.GetFullPath).Where(p => p != ConfigFile), PathComparer);
        PluginDirectories = pluginDirectories.Select(FullDirectory).Distinct(PathComparer).ToList();
        AssemblyFolders = new SortedSet<string>(assemblyFolders.Select(FullDirectory), PathComparer);
        StateDirectory = FullDirectory(stateDirectory);
    }

    /// <summary>Full path of the configuration file.</summary>
    public string ConfigFile { get; }

    /// <summary>The other files the configuration reads (full paths, sorted; some may not exist).</summary>
    public IReadOnlySet<string> OwnFiles { get; }

    /// <summary>The <c>plugins =</c> directories (full paths, in configuration order).</summary>
    public IReadOnlyList<string> PluginDirectories { get; }

    /// <summary>Folders of assemblies loaded in place (<c>module</c>, <c>functions</c>): their private dependencies count as plugin files.</summary>
    public IReadOnlySet<string> AssemblyFolders { get; }

    /// <summary>Where the hub keeps its state (journal, dead letters, plugin state, broker persistence): never an input.</summary>
    public string StateDirectory { get; }

    /// <summary>What <paramref name="config"/> was read from.</summary>
    public static ReloadInputs Of(HubConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var own = new List<string>(FileValues(config));
        var assemblies = config.Services.Select(s => ServiceInstances.ModuleAssembly(config, s)).OfType<string>().ToList();
        if (config.Defaults.Functions is { } functions)
        {
            (functions.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? assemblies : own).Add(functions);
        }

        // Python service modules are read afresh by every reload, like the functions file.
        own.AddRange(config.Services.Select(s => s.Module).Where(m => m.EndsWith(".py", StringComparison.OrdinalIgnoreCase)));

        // As TemplateRenderer.Load looks for them: templates/NAME beside the configuration file, else in the working directory.
        foreach (var name in config.Sections.Append(config.Failover).Select(s => s?.Template).OfType<string>())
        {
            own.Add(Path.Combine(config.Directory, "templates", name));
            own.Add(Path.Combine("templates", name));
        }

        own.AddRange(assemblies.SelectMany(a => new[] { a, Path.ChangeExtension(a, ".deps.json"), Path.ChangeExtension(a, ".runtimeconfig.json") }));
        var state = config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state");
        return new ReloadInputs(config.FilePath, own, ServiceInstances.PluginDirectories(config),
            assemblies.Select(a => Path.GetDirectoryName(Path.GetFullPath(a))).OfType<string>(), state);
    }

    /// <summary>A plugin's code or manifest, by name: <c>*.dll</c>, <c>*.deps.json</c>, <c>*.runtimeconfig.json</c>, and native libraries (<c>*.so</c>, <c>*.dylib</c>).</summary>
    public static bool IsPluginFile(string path) => PluginFileEndings.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// True when a change to the file at <paramref name="path"/> (full path; it may be gone) can change the hub: the
    /// configuration file, one of its own files, or a plugin file inside a plugin folder or an assembly's folder.
    /// </summary>
    public bool IsInput(string path)
    {
        if (path == ConfigFile || OwnFiles.Contains(path))
        {
            return true;
        }

        if (!IsPluginFile(path) || IsState(path))
        {
            return false;
        }

        return AssemblyFolders.Contains(Path.GetDirectoryName(path) ?? "") || PluginDirectories.Any(d => Depth(d, path) >= 2);
    }

    /// <summary>True for a direct child of a plugin directory (a plugin folder when it holds plugin files), the state directory aside.</summary>
    public bool IsPluginFolderPath(string path) => !IsState(path) && PluginDirectories.Any(d => Depth(d, path) == 1);

    /// <summary>The folders under the plugin directories that hold plugin files now (full paths, sorted).</summary>
    public IReadOnlyList<string> PluginFolders() =>
        PluginDirectories.Where(Directory.Exists)
            .SelectMany(d => SafeEnumerate(() => Directory.EnumerateDirectories(d)))
            .Where(f => !IsState(f) && HoldsPluginFiles(f))
            .Order(PathComparer)
            .ToList();

    /// <summary>True when the folder exists and holds a plugin file at its top level (<c>NAME.dll</c> is there).</summary>
    public static bool HoldsPluginFiles(string folder) =>
        Directory.Exists(folder) && SafeEnumerate(() => Directory.EnumerateFiles(folder)).Any(IsPluginFile);

    /// <summary>True when both name the same files (a reload that changes none of them can keep its fingerprint).</summary>
    public bool SameFilesAs(ReloadInputs other) =>
        other.ConfigFile == ConfigFile && other.StateDirectory == StateDirectory && other.OwnFiles.SetEquals(OwnFiles)
        && other.PluginDirectories.SequenceEqual(PluginDirectories, PathComparer) && other.AssemblyFolders.SetEquals(AssemblyFolders);

    /// <summary>The configuration file as read (no expansion); null when it cannot be read or decoded.</summary>
    public static IniDocument? ReadDocument(string path)
    {
        try
        {
            var diagnostics = new DiagnosticBag(path);
            return ConfigFileText.Decode(File.ReadAllBytes(path), diagnostics) is { } text ? IniReader.Read(text, diagnostics) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Files read through <c>$FILE:</c> anywhere in the configuration file.</summary>
    private static IEnumerable<string> FileValues(HubConfig config)
    {
        var document = ReadDocument(config.FilePath);
        if (document is null)
        {
            return [];
        }

        return document.Sections.Append(document.Defaults).OfType<IniSection>()
            .SelectMany(s => s.Entries)
            .SelectMany(e => VariableExpander.FileReferences(e.Value, config.Directory))
            .ToList();
    }

    private bool IsState(string path) => Depth(StateDirectory, path) >= 0;

    /// <summary>How many levels <paramref name="path"/> lies below <paramref name="directory"/> (0: the directory itself), or -1 when outside it.</summary>
    private static int Depth(string directory, string path)
    {
        if (path == directory)
        {
            return 0;
        }

        if (!path.StartsWith(directory, StringComparison.Ordinal) || path.Length <= directory.Length || path[directory.Length] != Path.DirectorySeparatorChar)
        {
            return -1;
        }

        return path.AsSpan(directory.Length).Count(Path.DirectorySeparatorChar);
    }

    private static string FullDirectory(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static IEnumerable<string> SafeEnumerate(Func<IEnumerable<string>> enumerate)
    {
        try
        {
            return enumerate().ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
