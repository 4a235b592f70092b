using System.Diagnostics;
using System.Globalization;

namespace Hub.Functions.Python;

/// <summary>
/// Finds the CPython shared library to embed: <c>[defaults] python = /path/to/libpython3.X.so</c> when set, else
/// the one the system's <c>python3</c> was built with (its <c>sysconfig</c> names the folder and file), else the
/// newest <c>libpython3.*.so.1.0</c> in the usual Debian folders.
/// </summary>
internal static class PythonLibrary
{
    /// <summary>The Debian package that provides the library the hub is tested with.</summary>
    public const string DebianPackage = "libpython3.11";

    private const string Query =
        "import sys, sysconfig; v = sysconfig.get_config_var; " +
        "print(v('LIBDIR') or ''); print(v('INSTSONAME') or ''); print(v('LDLIBRARY') or ''); print(v('MULTIARCH') or ''); print(sys.base_prefix)";

    private static readonly string[] SystemFolders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];

    /// <summary>A library found, with the Python home to use (null: the library's compiled-in one).</summary>
    public sealed record Found(string Path, string? Home);

    /// <summary>The library to load; null with the reason when there is none.</summary>
    public static Found? Find(string? configured, string pythonCommand, out string? problem)
    {
        problem = null;
        if (configured is not null)
        {
            if (File.Exists(configured))
            {
                return new Found(configured, null);
            }

            problem = $"[defaults] python = {configured}: no such file";
            return null;
        }

        if (FromInterpreter(pythonCommand, out var reason) is { } found)
        {
            return found;
        }

        var fallback = SystemFolders.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "libpython3.*.so.1.0"))
            .OrderByDescending(MinorVersion)
            .FirstOrDefault();
        if (fallback is not null)
        {
            return new Found(fallback, null);
        }

        problem = reason;
        return null;
    }

    private static Found? FromInterpreter(string pythonCommand, out string reason)
    {
        string[] lines;
        try
        {
            var start = new ProcessStartInfo(pythonCommand, ["-I", "-c", Query])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("not started");
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                reason = $"{pythonCommand} did not answer";
                return null;
            }

            lines = output.GetAwaiter().GetResult().Split('\n', StringSplitOptions.TrimEntries);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            reason = $"{pythonCommand} was not found ({ex.Message})";
            return null;
        }

        if (lines.Length < 5)
        {
            reason = $"{pythonCommand} did not report its library";
            return null;
        }

        var (libDir, soName, ldLibrary, multiArch, home) = (lines[0], lines[1], lines[2], lines[3], lines[4]);
        // The interpreter's own library runs with its own prefix; Debian's multiarch copy with its compiled-in one.
        var own = new[] { Join(libDir, soName), Join(libDir, ldLibrary), Join(Join(libDir, multiArch), soName) }.FirstOrDefault(IsSharedLibrary);
        if (own is not null)
        {
            reason = "";
            return new Found(own, home.Length > 0 ? home : null);
        }

        if (Join(Path.Combine("/usr/lib", multiArch), soName) is var system && IsSharedLibrary(system))
        {
            reason = "";
            return new Found(system, null);
        }

        reason = $"{pythonCommand} has no shared library {soName} in {libDir}";
        return null;
    }

    private static bool IsSharedLibrary(string path) => path.Contains(".so", StringComparison.Ordinal) && File.Exists(path);

    private static string Join(string folder, string name) => folder.Length == 0 || name.Length == 0 ? "" : Path.Combine(folder, name);

    private static int MinorVersion(string path)
    {
        var name = Path.GetFileName(path)["libpython3.".Length..];
        var digits = new string(name.TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : 0;
    }
}
