using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.Analytics;
using Hub.Analytics.Rules;
using Hub.Analytics.Rules.Derived;

namespace RuleBench;

/// <summary>Evaluations per second on one thread, with the verdicts handed to a lifecycle that counts them.</summary>
internal static class Speed
{
    private const int Keys = 1000;

    public static void Run(int evaluations)
    {
        var threshold = new RuleOptions { Name = "hot", File = "bench", Line = 1, Topic = "sensors/+/temp", When = "value > 80", Recover = "value < 75" };
        Measure("threshold with hysteresis, payload a number", threshold, evaluations, json: false);
        Measure("threshold with hysteresis, JSON payload, value = temp", threshold with { Value = "temp" }, evaluations, json: true);
        var anomaly = new RuleOptions { Name = "odd", File = "bench", Line = 1, Topic = "sensors/+/temp", When = "anomalous" };
        Measure("anomaly detector (when = anomalous)", anomaly, evaluations / 5, json: false);
        var rolling = new RuleOptions { Name = "avg", File = "bench", Line = 1, Topic = "sensors/+/temp", When = "mean > 80 and rate < 5", Derived = new DerivedOptions { WindowCount = 60 } };
        Measure("rolling mean over 60 samples and rate", rolling, evaluations / 2, json: false);
    }

    private static void Measure(string title, RuleOptions rule, int evaluations, bool json)
    {
        var evaluator = new RuleEvaluator([rule]);
        var topics = Enumerable.Range(0, Keys).Select(k => $"sensors/{k}/temp").ToArray();
        var random = new Random(7);
        var payloads = Enumerable.Range(0, 4096).Select(_ =>
        {
            var value = (70 + (random.NextDouble() * 20)).ToString("0.0", CultureInfo.InvariantCulture);
            return (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(json ? $$"""{"temp": {{value}}, "unit": "C"}""" : value);
        }).ToArray();
        var lifecycle = new CountingLifecycle();
        var start = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        void Pass(int count)
        {
            for (var i = 0; i < count; i++)
            {
                foreach (var verdict in evaluator.Evaluate(topics[i % Keys], payloads[i & 4095], start.AddTicks(i * TimeSpan.TicksPerMillisecond)))
                {
                    lifecycle.Observe(verdict);
                }
            }
        }

        Pass(Math.Min(evaluations / 10, 200_000));
        var gcBefore = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Pass(evaluations);
        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{title}: {evaluations:N0} evaluations ({Keys:N0} keys) in {clock.Elapsed.TotalSeconds:0.00} s = {evaluations / clock.Elapsed.TotalSeconds:N0}/s on one thread (CPU {cpuUsed.TotalSeconds:0.00} s, {GC.CollectionCount(0) - gcBefore} gen0 GCs; {lifecycle.Firing:N0} verdicts with when)"));
    }

    private sealed class CountingLifecycle : IAlarmLifecycle
    {
        public long Firing { get; private set; }

        public void Observe(RuleVerdict verdict) => Firing += verdict.When ? 1 : 0;

        public void Advance(DateTimeOffset now)
        {
        }
    }
}
