using System.Globalization;
using System.Text;
using HubBench;

// hub bench: end-to-end figures of the hub next to a plain mosquitto_sub on the same broker, same run.
// Usage: dotnet run -c Release --project bench/HubBench -- [--messages N] [--runs N] [--rss-messages N] [--scenarios qos0,qos1,latency,rss,metrics,durable] [--out FILE]
var messages = Arg("--messages", 100_000);
var rssMessages = Arg("--rss-messages", 1_000_000);
var output = ArgText("--out", "bench/results.md");
var hub = ArgText("--hub", Path.GetFullPath("artifacts/Release/hub/hub"));
var scenarios = ArgText("--scenarios", "qos0,qos1,latency,rss,metrics").Split(',');
var work = Directory.CreateTempSubdirectory("hub-bench-").FullName;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

// No queue limit (max_queued_messages 0): a QoS 1 burst must not be dropped by the broker; every run checks its count.
using var broker = new Broker(work, "max_queued_messages 0\n");
var payloads = Scenarios.PayloadFile(work, messages);
var report = new StringBuilder();
void Say(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

Say($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; broker mosquitto on 127.0.0.1:{broker.Port}, max_queued_messages 0 (no queue limit).");
Say($"Payloads: ~60-byte JSON lines; publisher: mosquitto_pub -l (QoS 0 bursts), the hub's client pipelined (QoS 1 bursts), a raw socket (latency). Hub route: format = {Speed.Format} to a file target; ceiling: mosquitto_sub writing each message to a file.");
Say("");
Say("| Scenario | mosquitto_sub (ceiling) | hub | hub / ceiling |");
Say("|---|---|---|---|");

var tag = 0;
string NextTag() => (tag++).ToString(CultureInfo.InvariantCulture);
var runs = Arg("--runs", 3);
foreach (var qos in new[] { 0, 1 }.Where(q => scenarios.Contains($"qos{q}")))
{
    // Alternating runs, every message checked: the hub's route formats four JSON fields (Speed.Format).
    var (reference, measured) = Speed.Throughput(work, hub, broker.Port, qos, messages, payloads, runs, NextTag);
    var ratios = Speed.Ratios(reference, measured).ToList();
    var goal = qos == 0 ? 0.70 : 0.90;
    Say($"| {messages:N0} msgs QoS {qos}, format = {Speed.Format}, {runs} alternating pairs: msg/s, median (range) | {Speed.MedianRange(reference, "N0")} | {Speed.MedianRange(measured, "N0")} | {Speed.MedianRange(ratios, "0.00")}x (goal ≥ {goal:0.00}x: {Speed.Verdict(Speed.Median(ratios) >= goal)}) |");
}

if (scenarios.Contains("durable"))
{
    // The journal's cost: the same QoS 1 burst into a file target, durable off and on, alternating (--durable-runs N
    // pairs, default 1), so both see the same machine: the median of each, the range, and the median of the pairs'
    // ratios. A broker without a queue limit (max_queued_messages 0), so nothing is dropped while the hub acknowledges
    // only what its targets accepted; with mosquitto's default in-flight window (20) and a wide one (1000): group commit
    // shares an fsync among the messages the broker lets the hub hold unacknowledged.
    var durableRuns = Arg("--durable-runs", 1);
    foreach (var inflight in new[] { 20, 1000 })
    {
        using var unbounded = new Broker(work, $"max_queued_messages 0\nmax_inflight_messages {inflight}\n");
        var rates = new[] { new List<double>(), new List<double>() };
        var cpu = new[] { new List<double>(), new List<double>() };
        var lost = new long[2];
        var ratios = new List<double>();
        for (var run = 0; run < durableRuns; run++)
        {
            foreach (var durable in run % 2 == 0 ? new[] { false, true } : new[] { true, false })
            {
                using var consumer = Consumer.Hub(work, hub, unbounded.Port, 1, (tag++).ToString(CultureInfo.InvariantCulture), durable);
                var result = Scenarios.Throughput(consumer, unbounded.Port, 1, messages, payloads);
                rates[durable ? 1 : 0].Add(result.Rate);
                cpu[durable ? 1 : 0].Add(result.CpuMicrosPerMessage);
                lost[durable ? 1 : 0] += result.Lost;
            }

            ratios.Add(rates[1][^1] / rates[0][^1]);
            Console.WriteLine($"  durable run {run + 1}, in-flight {inflight}: off {rates[0][^1]:N0} msg/s ({cpu[0][^1]:0} µs CPU/msg), on {rates[1][^1]:N0} msg/s ({cpu[1][^1]:0} µs CPU/msg), {ratios[^1]:P0}");
        }

        string Stat(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 1 ? $"{sorted[0]:N0}" : $"{sorted[sorted.Count / 2]:N0} ({sorted[0]:N0}-{sorted[^1]:N0})";
        }

        var sortedRatios = ratios.Order().ToList();
        var ratio = sortedRatios.Count == 1 ? $"{sortedRatios[0]:P0}" : $"{sortedRatios[sortedRatios.Count / 2]:P0} ({sortedRatios[0]:P0}-{sortedRatios[^1]:P0})";
        Say($"| {messages:N0} msgs QoS 1 to a file target, broker in-flight window {inflight}, {durableRuns} alternating runs: msg/s, durable = false (ceiling) vs true | {Stat(rates[0])} ({lost[0]:N0} lost) | {Stat(rates[1])} ({lost[1]:N0} lost) | {ratio} |");
        var cpuRatios = cpu[1].Zip(cpu[0], (on, off) => on / off).Order().ToList();
        Say($"| the same, the hub's CPU time per message (all threads), µs | {Stat(cpu[0])} | {Stat(cpu[1])} | {cpuRatios[cpuRatios.Count / 2]:0.00}x |");
    }
}

if (scenarios.Contains("latency"))
{
    // Runs alternate between the plain subscriber and the hub (formatted route), so both see the same machine; the table
    // gives the median of the runs and the range. Tail latency on a small VM varies from run to run with the host's scheduling.
    var latencyRuns = Arg("--latency-runs", 5);
    // --idle-poll: keep every CPU busy with a spinner at the lowest priority (SCHED_IDLE), which any other thread
    // preempts at once. A virtual machine's idle vCPU halts, and waking it goes through the host: on the development
    // VM that made a thread's wake-up p99 about 2 ms. The spinners emulate booting with idle=poll (or a haltpoll
    // cpuidle driver), so the figures show the software rather than the hypervisor.
    using var idlePoll = args.Contains("--idle-poll") ? IdlePoll.Start() : null;
    var (references, hubs) = Speed.Latency(work, hub, broker.Port, latencyRuns, NextTag);
    string Stat(List<LatencyResult> results, Func<LatencyResult, double> pick) => $"{Speed.MedianRange(results.Select(pick), "0.000")} ms";
    string Ratio(Func<LatencyResult, double> pick) => $"{Speed.Median(hubs.Select(pick)) / Speed.Median(references.Select(pick)):0.00}x";
    var mode = idlePoll is null ? "" : ", idle CPUs polling";
    Say($"| 1,000 msg/s for 10 s{mode}, format = {Speed.Format}, median of {latencyRuns} alternating runs (range): p50 latency | {Stat(references, r => r.P50Ms)} | {Stat(hubs, r => r.P50Ms)} | {Ratio(r => r.P50Ms)} (goal ≤ 1.3x: {Speed.Verdict(Speed.Median(hubs.Select(r => r.P50Ms)) <= 1.3 * Speed.Median(references.Select(r => r.P50Ms)))}) |");
    Say($"| 1,000 msg/s for 10 s{mode}, median of {latencyRuns} alternating runs (range): p99 latency | {Stat(references, r => r.P99Ms)} | {Stat(hubs, r => r.P99Ms)} | {Ratio(r => r.P99Ms)} (goal ≤ 1.6x: {Speed.Verdict(Speed.Median(hubs.Select(r => r.P99Ms)) <= 1.6 * Speed.Median(references.Select(r => r.P99Ms)))}) |");
    Say($"| 1,000 msg/s for 10 s{mode}, median of {latencyRuns} alternating runs (range): p99.9 latency | {Stat(references, r => r.P999Ms)} | {Stat(hubs, r => r.P999Ms)} | |");
    Say($"| 1,000 msg/s{mode}: the machine's noise, p99 of how late a sleeping thread wakes (publisher) | {Stat(references, r => r.WakeP99Ms)} | {Stat(hubs, r => r.WakeP99Ms)} | |");
    Say($"| 1,000 msg/s for 10 s: received | {references.Sum(r => r.Received):N0} of {references.Sum(r => r.Sent):N0} | {hubs.Sum(r => r.Received):N0} of {hubs.Sum(r => r.Sent):N0} | |");
}

if (scenarios.Contains("metrics"))
{
    // --scenarios metrics (bench/metrics.sh): the cost of the [web] endpoint scraped every second.
    var metricsMessages = Arg("--metrics-messages", 300_000);
    var metricsRuns = Arg("--metrics-runs", 5);
    var metricsPayloads = Scenarios.PayloadFile(work, metricsMessages);
    // A broker without a queue limit: a rate over a partial delivery means nothing.
    using var unbounded = new Broker(work, "max_queued_messages 0\n");
    var cpu = MetricsCost.CpuPerScrapeMs(work, hub, unbounded.Port, (tag++).ToString(CultureInfo.InvariantCulture));
    Say($"| hub CPU time per /metrics scrape (500 back to back, idle hub); at one scrape a second that is this share of one core | | {cpu:0.00} ms | {cpu / 1000:P2} |");
    var (plain, scraped, scrapes, lost) = MetricsCost.Measure(work, hub, unbounded.Port, metricsMessages, metricsPayloads, metricsRuns, () => (tag++).ToString(CultureInfo.InvariantCulture));
    string Range(List<double> rates) => $"{rates.Order().ElementAt(rates.Count / 2):N0} ({rates.Min():N0}-{rates.Max():N0})";
    // Each pair of runs ran back to back: the median of the pairs' ratios is steadier than the ratio of the medians.
    var pairs = plain.Zip(scraped, (p, s) => s / p).Order().ToList();
    Speed.Check($"{metricsRuns * 2} metrics runs", 2L * metricsRuns * metricsMessages, 2L * metricsRuns * metricsMessages - lost);
    Say($"| {metricsMessages:N0} msgs QoS 0, route format = {MetricsCost.Format}, {metricsRuns} alternating pairs, median (range): msg/s without [web] (ceiling) vs with /metrics scraped every second ({scrapes} scrapes, {lost:N0} lost in all) | {Range(plain)} | {Range(scraped)} | {pairs[pairs.Count / 2]:P1} ({pairs[0]:P0}-{pairs[^1]:P0}) (goal ≥ 97 %: {Speed.Verdict(pairs[pairs.Count / 2] >= 0.97)}) |");
}

if (scenarios.Contains("rss"))
{
    var rssPayloads = Scenarios.PayloadFile(work, rssMessages);
    using var consumer = Consumer.Hub(work, hub, broker.Port, 0, NextTag(), format: Speed.Format);
    var big = Scenarios.Throughput(consumer, broker.Port, 0, rssMessages, rssPayloads);
    Speed.Check($"{rssMessages:N0} messages (RSS)", big.Sent, big.Received);
    Say($"| {rssMessages:N0} msgs QoS 0, format = {Speed.Format}: hub peak RSS (VmHWM) | | {big.PeakRssMb:0} MB | (goal ≤ 100 MB: {Speed.Verdict(big.PeakRssMb <= 100)}) |");
    Say($"| {rssMessages:N0} msgs QoS 0: hub msg/s, lost | | {big.Rate:N0}, {big.Lost:N0} lost | |");
}

if (Speed.Missing.Count > 0)
{
    Say("");
    Say($"FAILED: {Speed.Missing.Count} run(s) lost messages, their rates mean nothing:");
    foreach (var line in Speed.Missing)
    {
        Say($"- {line}");
    }
}

File.WriteAllText(output, report.ToString());
Directory.Delete(work, true);
return Speed.Missing.Count > 0 ? 1 : 0;

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
string ArgText(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
