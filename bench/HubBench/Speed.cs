using System.Globalization;

namespace HubBench;

/// <summary>
/// The issue 12 §6 figures: the path users configure. The hub routes ~60-byte JSON with
/// <c>format = {sensor} {temp} {seq} {ts}</c> to a <c>file</c> target; the ceiling is a plain <c>mosquitto_sub</c> writing
/// each message to a file, on the same mosquitto, in the same run. Throughput and latency runs alternate subscriber and hub
/// (so both see the same machine) and report the median and range of the hub / subscriber ratios. A run that lost a message
/// is recorded in <see cref="Missing"/>, and the bench exits 1: a rate over a partial delivery means nothing.
/// </summary>
internal static class Speed
{
    /// <summary>The route's format: four JSON fields, as in the reference measurements.</summary>
    public const string Format = "{sensor} {temp} {seq} {ts}";

    /// <summary>Runs that lost messages, one line each.</summary>
    public static List<string> Missing { get; } = [];

    public static void Check(string what, long sent, long received)
    {
        if (received < sent)
        {
            var line = $"{what}: {received:N0} of {sent:N0} lines arrived ({sent - received:N0} missing)";
            Missing.Add(line);
            Console.Error.WriteLine($"bench: MISSING MESSAGES: {line}");
        }
    }

    /// <summary>Alternating bursts: mosquitto_sub, then the hub, <paramref name="runs"/> times; every message must arrive.</summary>
    public static (List<double> Reference, List<double> Hub) Throughput(string work, string hub, int port, int qos, int messages, string payloads, int runs, Func<string> tag)
    {
        var reference = new List<double>();
        var measured = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using (var consumer = Consumer.MosquittoSub(work, port, qos))
            {
                var result = Scenarios.Throughput(consumer, port, qos, messages, payloads);
                Check($"QoS {qos} run {run + 1} mosquitto_sub", result.Sent, result.Received);
                reference.Add(result.Rate);
            }

            using (var consumer = Consumer.Hub(work, hub, port, qos, tag(), format: Format))
            {
                var result = Scenarios.Throughput(consumer, port, qos, messages, payloads);
                Check($"QoS {qos} run {run + 1} hub", result.Sent, result.Received);
                measured.Add(result.Rate);
            }

            Console.WriteLine($"  QoS {qos} run {run + 1}: mosquitto_sub {reference[^1]:N0} msg/s, hub {measured[^1]:N0} msg/s ({measured[^1] / reference[^1]:0.00}x)");
        }

        return (reference, measured);
    }

    /// <summary>Alternating latency runs at a steady rate, with the formatted route; every message must arrive.</summary>
    public static (List<LatencyResult> Reference, List<LatencyResult> Hub) Latency(string work, string hub, int port, int runs, Func<string> tag)
    {
        var references = new List<LatencyResult>();
        var hubs = new List<LatencyResult>();
        for (var run = 0; run < runs; run++)
        {
            using (var consumer = Consumer.MosquittoSub(work, port, 0))
            {
                references.Add(Scenarios.Latency(consumer, port, 1000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
                Check($"latency run {run + 1} mosquitto_sub", references[^1].Sent, references[^1].Received);
            }

            using (var consumer = Consumer.Hub(work, hub, port, 0, tag(), format: Format))
            {
                hubs.Add(Scenarios.Latency(consumer, port, 1000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
                Check($"latency run {run + 1} hub", hubs[^1].Sent, hubs[^1].Received);
            }

            Console.WriteLine($"  latency run {run + 1}: p50/p99/p99.9 mosquitto_sub {references[^1].P50Ms:0.000}/{references[^1].P99Ms:0.000}/{references[^1].P999Ms:0.000} ms, hub {hubs[^1].P50Ms:0.000}/{hubs[^1].P99Ms:0.000}/{hubs[^1].P999Ms:0.000} ms; publisher wake-up p99 {references[^1].WakeP99Ms:0.000}/{hubs[^1].WakeP99Ms:0.000} ms");
        }

        return (references, hubs);
    }

    /// <summary>"median (min-max)" of <paramref name="values"/> with <paramref name="format"/>.</summary>
    public static string MedianRange(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToList();
        var median = sorted[sorted.Count / 2].ToString(format, CultureInfo.InvariantCulture);
        return sorted.Count == 1 ? median : $"{median} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}-{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The ratio of each pair (hub / reference), in run order.</summary>
    public static IEnumerable<double> Ratios(IReadOnlyList<double> reference, IReadOnlyList<double> hub) => reference.Zip(hub, (r, h) => h / r);

    /// <summary>"ok" or "MISSED" against a goal.</summary>
    public static string Verdict(bool met) => met ? "met" : "NOT met";
}
