using System.Text;

namespace Hub.Tests.Support;

/// <summary>
/// Small /bin/sh scripts for the tests of plugins that run programs (execute, pipe), and a check
/// that a process has ended.
/// </summary>
public static class ProtoScripts
{
    /// <summary>
    /// Writes a script that records its working directory and then each argument after the first,
    /// NUL-terminated, into the file named by its first argument (written whole, then renamed).
    /// Run it as <c>['/bin/sh', script, recordPath, …]</c>; read the record with <see cref="ReadRecord"/>.
    /// </summary>
    public static string RecordArguments(TempDirectory temp) => temp.Write("record.sh", """
        out="$1"; shift
        { printf '%s\0' "$(pwd)"; for a in "$@"; do printf '%s\0' "$a"; done; } > "$out.tmp" && mv "$out.tmp" "$out"
        """);

    /// <summary>Writes a script that starts <c>sleep 1000</c>, records "shellpid sleeppid" into its first argument, and waits.</summary>
    public static string SleepForever(TempDirectory temp) => temp.Write("sleep.sh", """
        sleep 1000 &
        echo "$$ $!" > "$1.tmp" && mv "$1.tmp" "$1"
        wait
        """);

    /// <summary>The working directory and the arguments recorded by <see cref="RecordArguments"/>.</summary>
    public static (string Directory, IReadOnlyList<string> Arguments) ReadRecord(string path)
    {
        var fields = Encoding.UTF8.GetString(File.ReadAllBytes(path)).Split('\0');
        Assert.Equal("", fields[^1]);
        return (fields[0], fields[1..^1]);
    }

    /// <summary>Waits until the process has ended (gone, or a zombie nobody reaps), polling /proc.</summary>
    public static Task WaitUntilGoneAsync(int pid, TimeSpan timeout) => Condition.UntilAsync(() => !IsRunning(pid), timeout, $"process {pid} ending");

    private static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        // "pid (comm) S …": the state follows the last ')'.
        return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
    }
}
