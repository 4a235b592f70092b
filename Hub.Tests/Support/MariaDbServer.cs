using System.Diagnostics;
using System.Globalization;

namespace Hub.Tests.Support;

/// <summary>
/// A real MariaDB (Debian's <c>mariadb-server</c>) for a test class: <c>mariadb-install-db</c> into a temporary
/// directory and <c>mariadbd</c> on 127.0.0.1 and a free port, without grant tables (any user logs in), with a
/// database <c>hub</c>. Read back with <see cref="QueryAsync"/> (the server's own <c>mariadb</c> client). A missing
/// server fails, never skips. Use it as an xunit class fixture, so a class shares one server.
/// </summary>
public sealed class MariaDbServer : ISqlTestServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private Process? _process;

    public MariaDbServer()
    {
        Directory = Path.Combine(Path.GetTempPath(), "hub-mariadb-" + Guid.NewGuid().ToString("N")[..10]);
        Port = Loopback.ClosedPort();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public string Database => "hub";

    /// <summary>The server's directory (data, socket, error log); deleted on dispose.</summary>
    public string Directory { get; }

    private string DataDirectory => Path.Combine(Directory, "data");

    public string ConfigLines => $"host = '{Host}'\nport = {Port.ToString(CultureInfo.InvariantCulture)}\nuser = 'root'\ndbname = '{Database}'";

    /// <summary>The plugin options for this server.</summary>
    public OrderedDictionary<string, object?> Options() => Some.Dict(("host", Host), ("port", (long)Port), ("user", "root"), ("dbname", Database));

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(DataDirectory);
        var install = await ProcessRunner.RunAsync(Find("/usr/bin/mariadb-install-db"),
            ["--no-defaults", $"--datadir={DataDirectory}", "--user=" + Environment.UserName, "--auth-root-authentication-method=normal", "--skip-test-db"], StartTimeout);
        Assert.True(install.ExitCode == 0, $"mariadb-install-db failed: {install}");
        await StartAsync();
        await QueryAsync($"CREATE DATABASE IF NOT EXISTS {Database}", database: "mysql");
    }

    /// <summary>Starts the server (again) on the same port and data directory; returns once it answers a ping.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Find("/usr/sbin/mariadbd")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "--no-defaults", $"--datadir={DataDirectory}", $"--port={Port.ToString(CultureInfo.InvariantCulture)}", "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(Directory, "mariadb.sock")}", $"--pid-file={Path.Combine(Directory, "mariadb.pid")}",
            $"--log-error={Path.Combine(Directory, "error.log")}", "--user=" + Environment.UserName, "--skip-grant-tables", "--skip-name-resolve",
            "--innodb-flush-log-at-trx-commit=2", "--innodb-buffer-pool-size=64M", "--skip-log-bin", "--max-connections=200",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start mariadbd.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await Condition.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mariadbd exited with code {process.ExitCode}:\n{ErrorLog()}");
            }

            var ping = await ProcessRunner.RunAsync(Find("/usr/bin/mariadb-admin"), ["--no-defaults", "-h", Host, "-P", Port.ToString(CultureInfo.InvariantCulture), "-u", "root", "ping"], TimeSpan.FromSeconds(5));
            return ping.ExitCode == 0;
        }, StartTimeout, "mariadbd answers a ping");
    }

    /// <summary>Stops the server (SIGTERM: a clean shutdown) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(cts.Token);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Runs SQL with the <c>mariadb</c> client (batch mode, no column names, tab-separated) and returns its output; fails on an error.</summary>
    public async Task<string> QueryAsync(string sql, string? database)
    {
        var result = await ProcessRunner.RunAsync(Find("/usr/bin/mariadb"),
            ["--no-defaults", "-h", Host, "-P", Port.ToString(CultureInfo.InvariantCulture), "-u", "root", "-N", "-B", "-e", sql, database ?? Database], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"mariadb failed: {result}");
        return result.StandardOutput.Trim();
    }

    public Task<string> QueryAsync(string sql) => QueryAsync(sql, null);

    public async Task<long> CountAsync(string sql) => long.Parse(await QueryAsync(sql), CultureInfo.InvariantCulture);

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

    private string ErrorLog()
    {
        var path = Path.Combine(Directory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no error log)";
    }

    // Never skip: a missing server is a broken test environment, on CI and locally alike.
    private static string Find(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: MariaDB is not installed; run scripts/setup.sh (or install the mariadb-server package)");
}
