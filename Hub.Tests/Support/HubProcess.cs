using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Hub.Tests.Support;

/// <summary>
/// The real <c>hub</c> executable (artifacts/CONFIGURATION/hub/hub) as a child process: its output
/// lines can be awaited, it can be stopped with SIGTERM, and it is killed on dispose.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Channel<string> _newLines = Channel.CreateUnbounded<string>();

    private HubProcess(Process process) => _process = process;

    public IEnumerable<string> Lines => _lines;
    public string Output => string.Join('\n', _lines);
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The process id (for /proc/ID/status).</summary>
    public int Id => _process.Id;

    /// <summary>"running", or "exited with code N" (128 + a signal's number when a signal ended it), for failure messages.</summary>
    public string State => _process.HasExited ? $"exited with code {_process.ExitCode}" : $"running; {SignalState()}";

    /// <summary>The blocked, pending and caught signal masks of the process (from /proc), for failure messages about signals.</summary>
    public string SignalState()
    {
        try
        {
            return string.Join(", ", File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("ShdPnd", StringComparison.Ordinal)));
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Starts <c>hub ARGS</c> in <paramref name="workingDirectory"/>; stdout and stderr are collected together.</summary>
    public static HubProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, false, args);

    /// <summary>
    /// As <see cref="Start(string, string[])"/>, with SIGHUP set back to its default disposition first: a test run under
    /// <c>nohup</c> passes SIGHUP on as ignored, and an ignored signal stays ignored across exec (the runtime keeps it so).
    /// </summary>
    public static HubProcess StartWithDefaultSignals(string workingDirectory, params string[] args) => Start(workingDirectory, true, args);

    /// <summary>
    /// As <see cref="StartWithDefaultSignals"/>, as systemd would start a service: <c>NOTIFY_SOCKET</c> names
    /// <paramref name="notifySocket"/>, and the hub's parent process is called <c>systemd</c> (how
    /// Microsoft.Extensions.Hosting.Systemd knows it runs as a service). The parent passes SIGHUP, SIGINT and SIGTERM
    /// on to the hub and exits with its exit code.
    /// </summary>
    public static HubProcess StartAsSystemdService(string workingDirectory, string notifySocket, params string[] args) =>
        Start(workingDirectory, true, args, notifySocket);

    private const string SystemdParent = """
        import ctypes, os, signal, sys
        ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)  # PR_SET_NAME: /proc/PID/comm says systemd
        child = os.fork()
        if child == 0:
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            os.execv(sys.argv[1], sys.argv[1:])
        for number in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda received, frame: os.kill(child, received))
        sys.exit(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]))
        """;

    private static HubProcess Start(string workingDirectory, bool defaultSignals, string[] args, string? notifySocket = null)
    {
        var start = new ProcessStartInfo(defaultSignals ? "python3" : Repo.HubExecutable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (defaultSignals)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(notifySocket is null
                ? "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
                : SystemdParent);
            start.ArgumentList.Add(Repo.HubExecutable);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("HUB_CONFIG");
        if (notifySocket is not null)
        {
            start.Environment["NOTIFY_SOCKET"] = notifySocket;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the hub");
        var hub = new HubProcess(process);
        process.OutputDataReceived += (_, e) => hub.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => hub.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Runs a short command (check, test, routes, publish…) to completion.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        await using var hub = Start(workingDirectory, args);
        var code = await hub.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, hub.Output);
    }

    /// <summary>Waits for an output line containing <paramref name="text"/> (also one already printed).</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
        try
        {
            while (seen is null)
            {
                var line = await _newLines.Reader.ReadAsync(cts.Token);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    seen = line;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"the hub did not print '{text}' within {timeout} (it is {State}). Output so far:\n{Output}");
        }

        return seen;
    }

    public void Terminate() => _ = Kill(_process.Id, 15);

    /// <summary>Sends a POSIX signal (e.g. 1 = SIGHUP).</summary>
    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the hub did not exit within {timeout}. Output:\n{Output}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _newLines.Writer.TryWrite(line);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
