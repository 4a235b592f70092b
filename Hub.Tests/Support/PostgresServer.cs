using System.Diagnostics;
using System.Globalization;

namespace Hub.Tests.Support;

/// <summary>
/// A real PostgreSQL (Debian's <c>postgresql</c>) for a test class: <c>initdb</c> into a temporary directory and
/// <c>postgres</c> on 127.0.0.1 and a free port, trust authentication for the user <c>postgres</c>, database
/// <c>postgres</c>. As root the server runs as the system user <c>postgres</c> (PostgreSQL refuses root).
/// Read back with <see cref="QueryAsync"/> (the server's own <c>psql</c>). A missing server fails, never skips.
/// Use it as an xunit class fixture, so a class shares one server.
/// </summary>
public sealed class PostgresServer : ISqlTestServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _bin = FindBin();
    private Process? _process;

    public PostgresServer()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hub-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Port = Loopback.ClosedPort();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string User => "postgres";

    public string Database => "postgres";

    /// <summary>The data directory (the socket lives there too); deleted on dispose.</summary>
    public string Directory { get; }

    private string DataDirectory => Path.Combine(Directory, "data");

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>The <c>[config:postgres]</c> connection lines for this server.</summary>
    public string ConfigLines => $"host = '{Host}'\nport = {Port.ToString(CultureInfo.InvariantCulture)}\nuser = '{User}'\ndbname = '{Database}'";

    /// <summary>The plugin options for this server.</summary>
    public OrderedDictionary<string, object?> Options() => Some.Dict(("host", Host), ("port", (long)Port), ("user", User), ("dbname", Database));

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (AsRoot)
        {
            Check(await ProcessRunner.RunAsync("chown", ["postgres:postgres", Directory], TimeSpan.FromSeconds(10)), "chown");
        }

        Check(await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDirectory, "-U", User, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], StartTimeout), "initdb");
        await StartAsync();
    }

    /// <summary>Starts the server (again) on the same port and data directory; returns once it answers queries.</summary>
    public async Task StartAsync()
    {
        var (file, arguments) = Command(Path.Combine(_bin, "postgres"),
            ["-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-h", Host, "-k", Directory,
             "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=64MB"]);
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start postgres.");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await Condition.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"postgres exited with code {process.ExitCode}:\n{string.Join('\n', log)}");
            }

            var ready = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_isready"), ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User], TimeSpan.FromSeconds(5));
            return ready.ExitCode == 0;
        }, StartTimeout, "postgres accepts connections");
    }

    /// <summary>Stops the server with a fast shutdown (<c>pg_ctl stop -m fast</c>: clients are disconnected, data is kept) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            // As root the child is runuser, which does not pass SIGINT on: pg_ctl signals the postmaster itself.
            Check(await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], TimeSpan.FromSeconds(30)), "pg_ctl stop");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Runs SQL with <c>psql</c> (unaligned, tuples only, fields separated by <c>|</c>) and returns its output; fails on an error.</summary>
    public async Task<string> QueryAsync(string sql)
    {
        var result = await ProcessRunner.RunAsync(Path.Combine(_bin, "psql"),
            ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User, "-d", Database, "-v", "ON_ERROR_STOP=1", "-X", "-A", "-t", "-F", "|", "-c", sql],
            TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"psql failed: {result}");
        return result.StandardOutput.Trim();
    }

    /// <summary>Runs a query that returns one number.</summary>
    public async Task<long> CountAsync(string sql) => long.Parse(await QueryAsync(sql), CultureInfo.InvariantCulture);

    /// <summary>The path of one of the server's programs (<c>psql</c>, <c>pg_isready</c>).</summary>
    public string Program(string name) => Path.Combine(_bin, name);

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Check(ProcessResult result, string what) =>
        Assert.True(result.ExitCode == 0, $"{what} failed: {result}");

    private static (string File, IReadOnlyList<string> Arguments) Command(string program, IReadOnlyList<string> arguments) =>
        AsRoot ? ("runuser", ["-u", "postgres", "--", program, .. arguments]) : (program, arguments);

    private static Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var (file, all) = Command(program, arguments);
        return ProcessRunner.RunAsync(file, all, timeout);
    }

    private static string FindBin()
    {
        var root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;

        // Never skip: a missing server is a broken test environment, on CI and locally alike.
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed: run scripts/setup.sh (or install the postgresql package)");
    }
}
