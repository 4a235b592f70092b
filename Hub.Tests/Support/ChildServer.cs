using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Hub.Tests.Support;

/// <summary>
/// A server from Debian's packages (redis-server, influxd, carbon-cache) run by a test as a child process on
/// 127.0.0.1: started with its arguments, ready when its port accepts connections, stopped gracefully (SIGTERM)
/// and started again on the same port, killed and its directory deleted on dispose. Its output is kept for
/// failure messages. A missing program fails the test (scripts/setup.sh installs it), never skips it.
/// </summary>
public sealed class ChildServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _executable;
    private readonly IReadOnlyList<string> _arguments;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private ChildServer(string executable, IReadOnlyList<string> arguments, int port, TempDirectory directory)
    {
        _executable = executable;
        _arguments = arguments;
        Port = port;
        Directory = directory;
    }

    public string Host => "127.0.0.1";

    /// <summary>The port whose accepting connections means the server is ready.</summary>
    public int Port { get; }

    public TempDirectory Directory { get; }

    public string Output => string.Join('\n', _output);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Resolves <paramref name="program"/> in /usr/bin, /usr/sbin, /usr/local/bin or PATH; throws naming the Debian package when missing.</summary>
    public static string Find(string program, string package)
    {
        var path = new[] { "/usr/bin", "/usr/sbin", "/usr/local/bin" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException($"{program} is not installed: run scripts/setup.sh (Debian package {package})");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="executable"/> and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<ChildServer> StartAsync(string executable, IReadOnlyList<string> arguments, int port, TempDirectory directory)
    {
        var server = new ChildServer(executable, arguments, port, directory);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same port and directory) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.Path,
        };
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {_executable}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (!await AcceptsAsync(Port))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(_executable)} exited with code {process.ExitCode} before accepting connections on {Port}:\n{Output}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException($"{Path.GetFileName(_executable)} did not accept connections on {Port} within {StartTimeout}:\n{Output}");
            }
        }
    }

    /// <summary>Stops the server gracefully (SIGTERM) and waits for it to exit (killed after 20 s).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            _process = null;
        }

        Directory.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
