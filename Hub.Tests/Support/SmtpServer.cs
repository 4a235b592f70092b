using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hub.Tests.Support;

/// <summary>
/// A real SMTP server for a test: Debian's python3-aiosmtpd running <c>smtp_server.py</c> on a free
/// loopback port, with optional STARTTLS (required once on), implicit TLS and AUTH (required once
/// a user is set). Every accepted message is saved before the server answers the end of DATA, so
/// <see cref="Messages"/> is complete as soon as the client's send returns. Recipients whose local
/// part starts with "refuse" are refused with a 550. A missing aiosmtpd fails the test ("run scripts/setup.sh").
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly StringBuilder _stderr = new();

    private SmtpServer(Process process, TempDirectory directory, int port, CertificateAuthority? ca)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Ca = ca;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The value of the plugin's <c>server</c> option.</summary>
    public string Server => $"{Host}:{Port}";

    /// <summary>The CA that signed the server's certificate (TLS servers only): the plugin's <c>ca_certs</c>.</summary>
    public CertificateAuthority? Ca { get; }

    public SmtpServerTls Tls { get; private init; }

    public static Task<SmtpServer> StartAsync(SmtpServerTls tls = SmtpServerTls.None, string? user = null, string? password = null, params string[] excludeAuth) =>
        StartAsync(FreePort(), tls, user, password, excludeAuth);

    /// <summary>A plain, anonymous server that offers SMTPUTF8 (internationalised addresses, RFC 6531).</summary>
    public static Task<SmtpServer> StartWithSmtpUtf8Async() => StartAsync(FreePort(), SmtpServerTls.None, null, null, smtpUtf8: true);

    /// <summary>A plain, anonymous server on <paramref name="port"/>: one stopped (disposed) server's successor on the same port.</summary>
    public static Task<SmtpServer> StartOnPortAsync(int port) => StartAsync(port, SmtpServerTls.None, null, null);

    private static async Task<SmtpServer> StartAsync(int port, SmtpServerTls tls, string? user, string? password, string[]? excludeAuth = null, bool smtpUtf8 = false)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing: run scripts/setup.sh");
        }

        var directory = new TempDirectory();
        var start = new ProcessStartInfo(Python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Path.Combine(Repo.Root, "Hub.Tests", "Support", "smtp_server.py"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", directory.Path })
        {
            start.ArgumentList.Add(argument);
        }

        CertificateAuthority? ca = null;
        if (tls != SmtpServerTls.None)
        {
            ca = await TestCertificates.CreateCaAsync(directory.Path, "Smtp Test CA");
            var certificate = await TestCertificates.IssueAsync(ca, directory.Path, "localhost", "DNS:localhost", "IP:127.0.0.1");
            Add(start, "--cert", certificate.CertPath, "--key", certificate.KeyPath, tls == SmtpServerTls.StartTls ? "--starttls" : "--implicit-tls");
        }

        if (user is not null)
        {
            Add(start, "--user", user, "--password", password ?? "");
        }

        foreach (var mechanism in excludeAuth ?? [])
        {
            Add(start, "--exclude-auth", mechanism);
        }

        if (smtpUtf8)
        {
            Add(start, "--smtputf8");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {Python}.");
        var server = new SmtpServer(process, directory, port, ca) { Tls = tls };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (server._stderr)
            {
                server._stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(cts.Token);
            if (line != "READY")
            {
                await process.WaitForExitAsync(cts.Token);
                var error = server.StandardError;
                throw new InvalidOperationException(error.Contains("No module named 'aiosmtpd'", StringComparison.Ordinal)
                    ? "python3-aiosmtpd is not installed: run scripts/setup.sh"
                    : $"the test SMTP server did not start: {line}\n{error}");
            }
        }
        catch (OperationCanceledException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"the test SMTP server did not print READY within {StartTimeout}:\n{server.StandardError}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>What the server printed on stderr (aiosmtpd logs and tracebacks).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The messages accepted so far, in order.</summary>
    public IReadOnlyList<ReceivedMail> Messages =>
        Directory.EnumerateFiles(_directory.Path, "*.json").Order(StringComparer.Ordinal).Select(ReceivedMail.Read).ToList();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static void Add(ProcessStartInfo start, params string[] arguments)
    {
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
