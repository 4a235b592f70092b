using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hub.Tests.Support;

/// <summary>
/// A real mosquitto for a test, on free loopback ports, with its own directory (config, passwords,
/// certificates, persistence, log). Typical use:
/// <code>
/// await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Users = new Dictionary&lt;string, string&gt; { ["alice"] = "secret" } });
/// var options = new MqttClientOptions { Host = broker.Host, Port = broker.Port };
/// </code>
/// <see cref="CreateAsync"/> prepares without starting (a client can be started before the broker).
/// A missing mosquitto fails the test with "mosquitto is not installed: run scripts/setup.sh"; it is never skipped.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private readonly string _executable;
    private readonly string _configPath;
    private Process? _process;

    private MosquittoBroker(string executable, string directory, int port, int? tlsPort)
    {
        _executable = executable;
        Directory = directory;
        Port = port;
        TlsPort = tlsPort;
        _configPath = Path.Combine(directory, "mosquitto.conf");
        LogPath = Path.Combine(directory, "mosquitto.log");
    }

    /// <summary>Always the IPv4 loopback address.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The plain MQTT listener.</summary>
    public int Port { get; }

    /// <summary>The TLS listener, when <see cref="MosquittoBrokerOptions.Tls"/> is on.</summary>
    public int? TlsPort { get; }

    /// <summary>PEM of the CA that signed the TLS listener's certificate.</summary>
    public string? CaPath => Ca?.CertPath;

    /// <summary>The CA itself, to issue client certificates.</summary>
    public CertificateAuthority? Ca { get; private set; }

    /// <summary>The broker's own temporary directory (deleted on dispose).</summary>
    public string Directory { get; }

    /// <summary>The broker log (log_type all), useful in assertion messages.</summary>
    public string LogPath { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Prepares and starts a broker; returns once it accepts connections.</summary>
    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null)
    {
        var broker = await CreateAsync(options);
        try
        {
            await broker.StartAsync();
        }
        catch
        {
            broker.Dispose();
            throw;
        }

        return broker;
    }

    /// <summary>Reserves ports and writes config, passwords and certificates, without starting mosquitto.</summary>
    public static async Task<MosquittoBroker> CreateAsync(MosquittoBrokerOptions? options = null)
    {
        options ??= new MosquittoBrokerOptions();
        var executable = FindMosquitto();
        var directory = Path.Combine(Path.GetTempPath(), "hub-mosquitto-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        var broker = new MosquittoBroker(executable, directory, FreePort(), options.Tls ? FreePort() : null);
        await broker.WriteConfigAsync(options);
        return broker;
    }

    /// <summary>Starts mosquitto and waits (polling connects, with a deadline) until the plain port accepts connections.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("mosquitto is already running.");
        }

        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_configPath);
        var runningLines = CountLogLines(" running");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {_executable}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // mosquitto logs "mosquitto version … running" once every listener is open: wait for one more such
        // line than the log had before this start (a restart appends to the same log).
        try
        {
            await WaitForLogAsync(" running", StartTimeout, runningLines + 1);
        }
        catch (TimeoutException) when (process.HasExited)
        {
            throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode} at start-up. Log:\n{ReadLog()}");
        }

        if (!await AcceptsAsync(Port) || (TlsPort is { } tls && !await AcceptsAsync(tls)))
        {
            throw new InvalidOperationException($"mosquitto said it was running but does not accept connections on port {Port}. Log:\n{ReadLog()}");
        }
    }

    /// <summary>Stops mosquitto gracefully (SIGTERM), so a persistence database is written; waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(cts.Token);
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

    /// <summary>Stops and starts again on the same ports with the same configuration and persistence file.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Issues a client certificate signed by the broker's CA (TLS brokers only).</summary>
    public Task<IssuedCertificate> IssueClientCertificateAsync(string commonName) =>
        TestCertificates.IssueAsync(Ca ?? throw new InvalidOperationException("The broker has no TLS listener."), Directory, commonName);

    /// <summary>Waits (polling, with a deadline) until the broker log has <paramref name="count"/> lines containing <paramref name="text"/>;
    /// mosquitto writes its log asynchronously, so read it this way rather than once.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout, int count = 1)
    {
        try
        {
            await FileWait.UntilAsync(LogPath, content => Count(content, text) >= count, timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The mosquitto log has {CountLogLines(text)} of {count} lines with \"{text}\" after {timeout}. Log:\n{ReadLog()}");
        }
    }

    private static int Count(string log, string text) => log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public int CountLogLines(string text) => Count(ReadLog(), text);

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public void Dispose()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
            _process = null;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static string FindMosquitto()
    {
        if (File.Exists("/usr/sbin/mosquitto"))
        {
            return "/usr/sbin/mosquitto";
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "mosquitto"))
            .FirstOrDefault(File.Exists);

        // Never skip: a missing broker is a broken test environment, on CI and locally alike.
        return onPath ?? throw new InvalidOperationException(
            Environment.GetEnvironmentVariable("CI") == "true"
                ? "mosquitto is not installed: run scripts/setup.sh"
                : "mosquitto is not installed: run scripts/setup.sh (or install the mosquitto package)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WriteConfigAsync(MosquittoBrokerOptions options)
    {
        var config = new StringBuilder();
        if (Environment.UserName == "root")
        {
            config.AppendLine("user root"); // otherwise mosquitto drops to user mosquitto and cannot read this directory
        }

        config.AppendLine($"log_dest file {LogPath}");
        config.AppendLine("log_type all");
        config.AppendLine("connection_messages true");
        config.AppendLine($"allow_anonymous {(options.AllowAnonymous ? "true" : "false")}");
        if (options.Users is { Count: > 0 } users)
        {
            var passwordFile = Path.Combine(Directory, "passwd");
            await File.WriteAllTextAsync(passwordFile, "");
            foreach (var (user, password) in users)
            {
                var result = await ProcessRunner.RunAsync("mosquitto_passwd", ["-b", passwordFile, user, password], TimeSpan.FromSeconds(15));
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"mosquitto_passwd failed: {result}");
                }
            }

            config.AppendLine($"password_file {passwordFile}");
        }

        if (options.Acl is { } acl)
        {
            var aclFile = Path.Combine(Directory, "acl");
            await File.WriteAllTextAsync(aclFile, acl + "\n");
            config.AppendLine($"acl_file {aclFile}");
        }

        if (options.Persistence)
        {
            config.AppendLine("persistence true");
            config.AppendLine($"persistence_location {Directory}/");
            config.AppendLine("persistence_file mosquitto.db");
        }

        config.AppendLine($"listener {Port} 127.0.0.1");
        if (TlsPort is { } tlsPort)
        {
            Ca = await TestCertificates.CreateCaAsync(Directory, "Mosquitto Test CA");
            var sans = options.TlsServerName == "localhost" ? new[] { "DNS:localhost", "IP:127.0.0.1" } : ["DNS:" + options.TlsServerName];
            var server = await TestCertificates.IssueAsync(Ca, Directory, options.TlsServerName, sans);
            config.AppendLine($"listener {tlsPort} 127.0.0.1");
            config.AppendLine($"cafile {Ca.CertPath}");
            config.AppendLine($"certfile {server.CertPath}");
            config.AppendLine($"keyfile {server.KeyPath}");
            if (options.RequireClientCertificate)
            {
                config.AppendLine("require_certificate true");
            }
        }

        if (options.ExtraConfig is { } extra)
        {
            config.AppendLine(extra);
        }

        await File.WriteAllTextAsync(_configPath, config.ToString());
    }
}
