using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Hub.Tests.Support;

/// <summary>
/// Debian's <c>prometheus</c> (installed by scripts/setup.sh) on a free loopback port, scraping one target every
/// second with a generated configuration; <see cref="QueryAsync"/> asks its HTTP API for an instant value.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TempDirectory _directory;

    private PrometheusServer(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    public Uri Address { get; }

    /// <summary>Starts scraping <paramref name="target"/> (<c>HOST:PORT</c>) at /metrics, with a bearer token when given.</summary>
    public static PrometheusServer Start(string target, string? bearerToken = null)
    {
        var directory = new TempDirectory();
        var port = FreePort();
        var authorization = bearerToken is null ? "" : $"\n    authorization:\n      credentials: '{bearerToken}'";
        var config = directory.Write("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: hub
                scrape_interval: 1s
                metrics_path: /metrics{authorization}
                static_configs:
                  - targets: ['{target}']
            """);
        var start = new ProcessStartInfo(Executable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={directory.File("data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start prometheus");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusServer(process, directory, port);
    }

    /// <summary>The value of an instant query, or null while Prometheus has no sample (or is still starting).</summary>
    public async Task<double?> QueryAsync(string query)
    {
        try
        {
            var body = await _http.GetStringAsync(new Uri(Address, $"api/v1/query?query={Uri.EscapeDataString(query)}"));
            using var json = JsonDocument.Parse(body);
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }

    /// <summary>Asks until the query returns <paramref name="expected"/> or the deadline passes; returns the last value seen.</summary>
    public async Task<double?> WaitForValueAsync(string query, double expected, TimeSpan timeout)
    {
        double? last = null;
        await Condition.UntilAsync(async () => (last = await QueryAsync(query)) == expected, timeout, $"prometheus query {query} = {expected}");
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        _directory.Dispose();
    }

    private static string Executable() =>
        new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("prometheus is not installed: run scripts/setup.sh");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
