namespace Hub.PluginHost;

/// <summary>
/// Plugins run from a copy of their folder, so the installed files can be replaced while the hub runs
/// (hot reload) and a loaded assembly never locks or half-reads a file being written.
/// The copies live under <c>$TMPDIR/hub-plugins/PID/</c> and are deleted when their context unloads.
/// </summary>
internal static class ShadowCopy
{
    private static readonly string Parent = Path.Combine(Path.GetTempPath(), "hub-plugins");
    private static readonly string Root = Path.Combine(Parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static int _cleaned;

    public static string Create(string folder)
    {
        if (Interlocked.Exchange(ref _cleaned, 1) == 0)
        {
            DeleteCopiesOfEndedProcesses();
        }

        var target = Path.Combine(Root, Path.GetFileName(folder) + "-" + Guid.NewGuid().ToString("N")[..12]);
        CopyDirectory(folder, target);
        return target;
    }

    public static void Delete(string copy)
    {
        try
        {
            Directory.Delete(copy, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still mapped on some platforms; the directory is per process anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A hub killed with SIGKILL leaves its copies behind: the next one removes them.</summary>
    private static void DeleteCopiesOfEndedProcesses()
    {
        if (!Directory.Exists(Parent))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Parent))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                Delete(directory);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}
