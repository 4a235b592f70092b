using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Hub.Analytics;
using Hub.Analytics.Rules;

namespace RuleBench;

/// <summary>The state per key: KEYS keys of a rule with the anomaly detector, each fed past its warm-up.</summary>
internal static class Memory
{
    private const int SamplesPerKey = 80;

    public static void Run(int keys)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;
        var rule = new RuleOptions { Name = "odd", File = "bench", Line = 1, Topic = "m/+", When = "anomalous" };
        var evaluator = new RuleEvaluator([rule]);
        var topics = Enumerable.Range(0, keys).Select(k => $"m/{k:D6}").ToArray();
        var payloads = Enumerable.Range(0, 256).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes((20 + Math.Sin(i / 10.0)).ToString("0.000", CultureInfo.InvariantCulture))).ToArray();
        var start = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        for (var sample = 0; sample < SamplesPerKey; sample++)
        {
            // One sample per key every 2 hours: the keys' hour-of-day and hour-of-week buckets fill as in a week of use.
            var at = start.AddHours(2 * sample);
            for (var k = 0; k < keys; k++)
            {
                evaluator.Evaluate(topics[k], payloads[(k + sample) & 255], at);
            }
        }

        clock.Stop();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var rssAfter = Process.GetCurrentProcess().WorkingSet64;
        GC.KeepAlive(evaluator);
        GC.KeepAlive(topics);
        var perKey = (heapAfter - heapBefore) / (double)keys;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory: {keys:N0} keys with the anomaly detector, {SamplesPerKey} samples each ({keys * (long)SamplesPerKey / clock.Elapsed.TotalSeconds:N0} evaluations/s): managed heap +{(heapAfter - heapBefore) / 1048576.0:0.0} MiB = {perKey:N0} bytes per key (topic strings included); process working set {rssAfter / 1048576.0:0} MiB (+{(rssAfter - rssBefore) / 1048576.0:0} MiB)"));
    }
}
