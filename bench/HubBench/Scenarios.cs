using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace HubBench;

internal sealed record ThroughputResult(string Consumer, int Qos, int Sent, long Received, double Seconds, double PeakRssMb)
{
    public double Rate => Received / Seconds;
    public long Lost => Sent - Received;

    /// <summary>The consumer's CPU time (all threads, user and system) from the first message to the last, per message received, in µs.</summary>
    public double CpuMicrosPerMessage { get; init; }
}

/// <summary>One latency run. <see cref="WakeP99Ms"/> is the machine's noise floor in the same run: how late (p99) the
/// publisher's thread woke from its sleep to each message's due time.</summary>
internal sealed record LatencyResult(string Consumer, int Sent, long Received, double P50Ms, double P99Ms, double P999Ms, double MaxMs, double WakeP99Ms);

/// <summary>The measurements: burst throughput (publish N as fast as mosquitto_pub can, until the file holds N lines) and latency at a steady rate.</summary>
internal static class Scenarios
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);

    public static string PayloadFile(string directory, int count)
    {
        var path = Path.Combine(directory, $"payloads-{count}.txt");
        if (!File.Exists(path))
        {
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
            for (var i = 0; i < count; i++)
            {
                // ~60-byte JSON, as in the issue's reference measurements.
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{{\"seq\":{i,7},\"sensor\":\"rack-07\",\"temp\":{15 + (i % 200) / 10.0:0.0},\"ts\":{1765100000 + i / 1000}}}\n"));
            }
        }

        return path;
    }

    public static ThroughputResult Throughput(Consumer consumer, int port, int qos, int count, string payloads)
    {
        using var tail = new FileTail(consumer.Output);
        WarmUp(tail, port, qos);
        var cpu = MetricsCost.CpuTicks(consumer.Pid);
        var t0 = Stopwatch.GetTimestamp();
        // mosquitto_pub -l stops early at QoS 1 and 2 (after some 35,000 messages here), so QoS > 0
        // bursts come from the hub's own client, pipelined (up to 1,024 in flight), in this process.
        using var publisher = qos == 0
            ? new Publisher(Process.Start(new ProcessStartInfo("sh", ["-c", $"mosquitto_pub -h 127.0.0.1 -p {port} -t bench/load -q {qos} -l < '{payloads}'"]))!)
            : new Publisher(PublishWithClientAsync(port, qos, payloads));
        var received = 0L;
        var last = t0;
        var lastProgress = Stopwatch.GetTimestamp();
        while (received < count)
        {
            var n = tail.Poll(null);
            var now = Stopwatch.GetTimestamp();
            if (n > 0)
            {
                received += n;
                last = now;
                lastProgress = now;
                continue;
            }

            if (publisher.HasExited && Stopwatch.GetElapsedTime(lastProgress) > Idle)
            {
                break; // the rest is lost
            }

            Thread.Sleep(1);
        }

        cpu = MetricsCost.CpuTicks(consumer.Pid) - cpu;
        publisher.WaitForExit();
        var seconds = Stopwatch.GetElapsedTime(t0, last).TotalSeconds;
        return new ThroughputResult(consumer.Name, qos, count, received, seconds, consumer.PeakRssMb()) { CpuMicrosPerMessage = cpu * 10_000.0 / Math.Max(1, received) };
    }

    private static async Task PublishWithClientAsync(int port, int qos, string payloads)
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = port, ClientId = $"bench-burst-{Environment.ProcessId}" }, NullLogger.Instance);
        await client.ConnectOnceAsync(CancellationToken.None);
        var pending = new List<Task>();
        foreach (var line in File.ReadLines(payloads))
        {
            pending.Add(client.PublishAsync(new MqttApplicationMessage("bench/load", Encoding.UTF8.GetBytes(line), qos), CancellationToken.None).AsTask());
        }

        await Task.WhenAll(pending);
        await client.StopAsync(CancellationToken.None);
    }

    /// <summary>The burst publisher: a mosquitto_pub process or an in-process task.</summary>
    private sealed class Publisher : IDisposable
    {
        private readonly Process? _process;
        private readonly Task? _task;

        public Publisher(Process process) => _process = process;

        public Publisher(Task task) => _task = task;

        public bool HasExited => _process?.HasExited ?? _task!.IsCompleted;

        public void WaitForExit()
        {
            _process?.WaitForExit();
            _task?.GetAwaiter().GetResult();
        }

        public void Dispose() => _process?.Dispose();
    }

    /// <summary>
    /// Publish-to-line latency at a steady rate: a raw-socket publisher on its own thread sleeps to each message's due
    /// time (no spinning, so it does not take a core from the consumer on a small machine) and stamps the message right
    /// before send(); a reader thread blocks on inotify for the consumer's file and stamps each line as it reads it.
    /// The first <paramref name="warmUp"/> of messages (same rate) are not counted: JIT tiering and first-use costs.
    /// </summary>
    public static LatencyResult Latency(Consumer consumer, int port, int rate, TimeSpan duration, TimeSpan warmUp)
    {
        using var tail = new FileTail(consumer.Output);
        WarmUp(tail, port, 0);
        using var publisher = new RawPublisher(port, $"bench-pub-{Environment.ProcessId}-{consumer.Name}", "bench/latency");

        var latencies = new List<double>();
        var skip = (int)(rate * warmUp.TotalSeconds);
        var count = (int)(rate * duration.TotalSeconds);
        var done = false;
        var watch = Native.WatchFile(consumer.Output);
        var reader = new Thread(() =>
        {
            var events = new byte[4096];
            while (!Volatile.Read(ref done))
            {
                tail.Poll((line, seen) => Record(line, seen, skip, latencies));
                Native.WaitForChange(watch, events, 100);
            }

            tail.Poll((line, seen) => Record(line, seen, skip, latencies));
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "latency-reader" };
        reader.Start();

        var payload = new byte[128];
        var interval = 1_000_000_000L / rate;
        var start = NowNanoseconds() + interval;
        var oversleep = new List<double>(count);
        for (var i = 0; i < skip + count; i++)
        {
            var due = start + i * interval;
            Native.SleepUntil(due);
            var sent = Stopwatch.GetTimestamp();
            if (i >= skip)
            {
                oversleep.Add((sent - due) / 1e6);
            }

            var length = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"seq\":{i},\"sensor\":\"rack-07\",\"temp\":21.5,\"ts\":{sent}}}"), payload);
            publisher.Publish(payload.AsSpan(0, length));
        }

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            lock (latencies)
            {
                if (latencies.Count >= count)
                {
                    break;
                }
            }

            Thread.Sleep(5);
        }

        Volatile.Write(ref done, true);
        reader.Join();
        Native.CloseFile(watch);
        lock (latencies)
        {
            latencies.Sort();
            oversleep.Sort();
            return new LatencyResult(consumer.Name, count, latencies.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.99), Percentile(latencies, 0.999), latencies.Count == 0 ? double.NaN : latencies[^1], Percentile(oversleep, 0.99));
        }
    }

    /// <summary>Stopwatch ticks are CLOCK_MONOTONIC nanoseconds on Linux; checked so the sleeps and stamps agree.</summary>
    private static long NowNanoseconds() =>
        Stopwatch.Frequency == 1_000_000_000
            ? Stopwatch.GetTimestamp()
            : throw new PlatformNotSupportedException("the latency bench expects Stopwatch ticks in nanoseconds (Linux)");

    /// <summary>
    /// One line with its send stamp: the JSON as it came (mosquitto_sub) or the formatted route's
    /// <c>{sensor} {temp} {seq} {ts}</c> (the hub).
    /// </summary>
    private static void Record(string line, long seen, int skip, List<double> latencies)
    {
        ReadOnlySpan<char> seqText, sentText;
        if (line.StartsWith('{'))
        {
            var at = line.IndexOf("\"ts\":", StringComparison.Ordinal);
            var seqAt = line.IndexOf("\"seq\":", StringComparison.Ordinal);
            if (at < 0 || seqAt < 0)
            {
                return;
            }

            seqText = line.AsSpan(seqAt + 6, line.IndexOf(',', seqAt) - seqAt - 6);
            sentText = line.AsSpan(at + 5).TrimEnd('}');
        }
        else
        {
            var fields = line.Split(' ');
            if (fields.Length != 4)
            {
                return;
            }

            seqText = fields[2];
            sentText = fields[3];
        }

        if (!int.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq < skip || !long.TryParse(sentText, NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
        {
            return;
        }

        lock (latencies)
        {
            latencies.Add((seen - sent) * 1000.0 / Stopwatch.Frequency);
            if (Environment.GetEnvironmentVariable("HUBBENCH_DUMP") is { Length: > 0 } dump)
            {
                File.AppendAllText(dump, string.Create(CultureInfo.InvariantCulture, $"{seq} {(seen - sent) / 1000} {sent}\n"));
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>The warm-up marker: JSON the formatted route renders (its seq is not a count, so no latency run takes it).</summary>
    private const string WarmUpPayload = "{\"seq\":\"warm-up\",\"sensor\":\"warm-up\",\"temp\":0,\"ts\":0}";

    /// <summary>Publishes a marker until the consumer's file shows it: the consumer is subscribed and warm.</summary>
    private static void WarmUp(FileTail tail, int port, int qos)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using (var pub = Process.Start(new ProcessStartInfo("mosquitto_pub", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "bench/warmup", "-q", qos.ToString(CultureInfo.InvariantCulture), "-m", WarmUpPayload]))!)
            {
                pub.WaitForExit();
            }

            for (var i = 0; i < 20; i++)
            {
                if (tail.Poll(null) > 0)
                {
                    Thread.Sleep(200);
                    tail.Poll(null); // swallow further warm-up lines
                    return;
                }

                Thread.Sleep(10);
            }
        }

        throw new TimeoutException("the consumer never received the warm-up message");
    }
}
