using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HubBench;

/// <summary>
/// What serving <c>/metrics</c> costs: the QoS 0 burst through a formatted route (<c>format = {sensor} {value} {seq}</c>
/// to a file target), the hub without <c>[web]</c> and with it while a scraper fetches <c>/metrics</c> every second,
/// alternating run by run so both see the same machine.
/// </summary>
internal static class MetricsCost
{
    public const string Format = "{sensor} {value} {seq}";

    public static (List<double> Plain, List<double> Scraped, int Scrapes) Measure(string work, string hub, int port, int messages, string payloads, int runs, Func<string> tag)
    {
        var plain = new List<double>();
        var scraped = new List<double>();
        var scrapes = 0;
        for (var run = 0; run < runs; run++)
        {
            using (var consumer = Consumer.Hub(work, hub, port, 0, tag(), format: Format))
            {
                plain.Add(Scenarios.Throughput(consumer, port, 0, messages, payloads).Rate);
            }

            var webPort = FreePort();
            using (var consumer = Consumer.Hub(work, hub, port, 0, tag(), format: Format, web: $"127.0.0.1:{webPort}"))
            using (var scraper = new Scraper(new Uri($"http://127.0.0.1:{webPort}/metrics")))
            {
                scraped.Add(Scenarios.Throughput(consumer, port, 0, messages, payloads).Rate);
                scrapes += scraper.Stop();
            }

            Console.WriteLine($"  metrics run {run + 1}: {plain[^1]:N0} msg/s without [web], {scraped[^1]:N0} msg/s scraped every second");
        }

        return (plain, scraped, scrapes);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>GET /metrics once a second on its own thread (as a Prometheus scrape_interval of 1 s would); counts the 200s.</summary>
    private sealed class Scraper : IDisposable
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private int _ok;

        public Scraper(Uri metrics)
        {
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = _http.GetAsync(metrics, _stop.Token).GetAwaiter().GetResult();
                        if (response.IsSuccessStatusCode && response.Content.ReadAsStringAsync(_stop.Token).GetAwaiter().GetResult().Contains("hub_messages_received", StringComparison.Ordinal))
                        {
                            _ok++;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        // The hub is still starting, or the run ended.
                    }

                    var left = TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(started);
                    if (left > TimeSpan.Zero)
                    {
                        _stop.Token.WaitHandle.WaitOne(left);
                    }
                }
            }) { IsBackground = true, Name = "metrics-scraper" };
            _thread.Start();
        }

        public int Stop()
        {
            _stop.Cancel();
            _thread.Join();
            return _ok;
        }

        public void Dispose()
        {
            _http.Dispose();
            _stop.Dispose();
        }
    }
}
