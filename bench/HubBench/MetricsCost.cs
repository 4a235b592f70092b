using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HubBench;

/// <summary>
/// What serving <c>/metrics</c> costs: the QoS 0 burst through a formatted route (<c>format = {sensor} {temp} {seq} {ts}</c>
/// to a file target), the hub without <c>[web]</c> and with it while a scraper fetches <c>/metrics</c> every second,
/// alternating run by run so both see the same machine.
/// </summary>
internal static class MetricsCost
{
    public const string Format = Speed.Format;

    public static (List<double> Plain, List<double> Scraped, int Scrapes, long Lost) Measure(string work, string hub, int port, int messages, string payloads, int runs, Func<string> tag)
    {
        var plain = new List<double>();
        var scraped = new List<double>();
        var lost = 0L;
        var scrapes = 0;
        for (var run = 0; run < runs; run++)
        {
            using (var consumer = Consumer.Hub(work, hub, port, 0, tag(), format: Format))
            {
                var result = Scenarios.Throughput(consumer, port, 0, messages, payloads);
                plain.Add(result.Rate);
                lost += result.Lost;
            }

            var webPort = FreePort();
            using (var consumer = Consumer.Hub(work, hub, port, 0, tag(), format: Format, web: $"127.0.0.1:{webPort}"))
            using (var scraper = new Scraper(new Uri($"http://127.0.0.1:{webPort}/metrics")))
            {
                var result = Scenarios.Throughput(consumer, port, 0, messages, payloads);
                scraped.Add(result.Rate);
                lost += result.Lost;
                scrapes += scraper.Stop();
            }

            Console.WriteLine($"  metrics run {run + 1}: {plain[^1]:N0} msg/s without [web], {scraped[^1]:N0} msg/s scraped every second");
        }

        return (plain, scraped, scrapes, lost);
    }

    /// <summary>
    /// The CPU time one scrape costs the hub, independent of the machine's noise: the hub's user+system time (from
    /// /proc/PID/stat) over <paramref name="scrapes"/> back-to-back scrapes of an idle hub, per scrape, in ms.
    /// </summary>
    public static double CpuPerScrapeMs(string work, string hub, int port, string tag, int scrapes = 500)
    {
        var webPort = FreePort();
        using var consumer = Consumer.Hub(work, hub, port, 0, tag, format: Format, web: $"127.0.0.1:{webPort}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metrics = new Uri($"http://127.0.0.1:{webPort}/metrics");
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (true)
        {
            try
            {
                http.GetStringAsync(metrics).GetAwaiter().GetResult();
                break;
            }
            catch (HttpRequestException) when (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.Sleep(100); // still starting
            }
        }

        for (var i = 0; i < 50; i++)
        {
            http.GetStringAsync(metrics).GetAwaiter().GetResult(); // JIT and first-use costs
        }

        var before = CpuTicks(consumer.Pid);
        for (var i = 0; i < scrapes; i++)
        {
            http.GetStringAsync(metrics).GetAwaiter().GetResult();
        }

        var ticks = CpuTicks(consumer.Pid) - before;
        return ticks * 10.0 / scrapes; // USER_HZ is 100: a tick is 10 ms
    }

    /// <summary>The CPU time (user and system) of process <paramref name="pid"/>, in ticks of 10 ms.</summary>
    internal static long CpuTicks(int pid)
    {
        // Fields after the command (which may hold spaces) start at state; utime and stime are fields 14 and 15.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
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
