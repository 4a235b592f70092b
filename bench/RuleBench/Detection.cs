using System.Globalization;
using System.Text;
using Hub.Analytics;
using Hub.Analytics.Alarms;
using Hub.Analytics.Rules;

namespace RuleBench;

/// <summary>
/// The detection benchmark: generated series (daily and weekly seasons with noise, a daily 3 a.m. peak that is normal,
/// spikes, level shifts, slow drifts, a value hovering around the threshold, gaps), labelled incidents, and three rules
/// per series: a plain threshold, a threshold with hysteresis and <c>for</c>, and the anomaly detector. Verdicts go
/// through a minimal for/clear_for state machine (not the full lifecycle: no flapping detection, no grouping); an alarm
/// onset inside an incident (or up to an hour after it) is a true positive, any other onset a false alarm.
/// </summary>
internal static class Detection
{
    private const int SeriesPerKind = 8;
    private const int Days = 28;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Grace = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Kinds = ["spike", "level shift", "slow drift", "flapping", "gaps", "daily peak only"];

    public static void Run()
    {
        var detectors = new (string Name, TimeSpan For, TimeSpan ClearFor)[]
        {
            ("plain threshold (value > T)", TimeSpan.Zero, TimeSpan.Zero),
            ("threshold + hysteresis (recover value < T - 2σ) + for 15m, clear_for 15m", TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)),
            ("anomaly detector (when = anomalous), clear_for 30m", TimeSpan.Zero, TimeSpan.FromMinutes(30)),
        };
        var results = detectors.Select(_ => new Score()).ToArray();
        var random = new Random(2026);
        var samples = 0L;
        for (var kind = 0; kind < Kinds.Length; kind++)
        {
            for (var s = 0; s < SeriesPerKind; s++)
            {
                var series = Series.Generate(Kinds[kind], random);
                var rules = new RuleOptions[]
                {
                    Rule("plain", Lit(series.Threshold), null),
                    Rule("hysteresis", Lit(series.Threshold), Lit(series.Threshold - (2 * series.Noise))),
                    new() { Name = "anomaly", File = "bench", Line = 1, Topic = "#", When = "anomalous" },
                };
                for (var d = 0; d < rules.Length; d++)
                {
                    rules[d] = rules[d] with { Alarm = rules[d].Alarm with { For = detectors[d].For, ClearFor = detectors[d].ClearFor, GroupWait = TimeSpan.Zero } };
                }

                var evaluator = new RuleEvaluator(rules);
                var machines = detectors.Select(d => new MiniLifecycle(d.For, d.ClearFor)).ToArray();
                var clock = new ManualClock(Start);
                var sink = new NotificationLog();
                var lifecycle = new AlarmLifecycle(rules, sink, clock);
                foreach (var (time, value) in series.Samples)
                {
                    samples++;
                    clock.Now = time;
                    lifecycle.Advance(time);
                    var verdicts = evaluator.Evaluate("bench/series", Encoding.UTF8.GetBytes(value.ToString("R", CultureInfo.InvariantCulture)), time);
                    for (var d = 0; d < verdicts.Count; d++)
                    {
                        machines[d].Observe(verdicts[d]);
                        lifecycle.Observe(verdicts[d]);
                    }

                    lifecycle.Advance(time);
                }

                for (var d = 0; d < detectors.Length; d++)
                {
                    results[d].Add(Kinds[kind], series.Incidents, machines[d].Onsets);
                    results[d].AddNotifications(series.Incidents, sink.Sent.Where(n => n.Rule == rules[d].Name).Select(n => n.Time).ToList());
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"detection: {Kinds.Length * SeriesPerKind} series x {Days} days at 5 min ({samples:N0} samples), kinds: {string.Join(", ", Kinds)}; incidents after day 7"));
        Console.WriteLine("| rule | precision | recall | time to detect (median / mean) | onsets per detected incident | false alarms per series-week | notifications per incident (AlarmLifecycle) | notifications outside incidents |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        for (var d = 0; d < detectors.Length; d++)
        {
            Console.WriteLine(results[d].Row(detectors[d].Name, Kinds.Length * SeriesPerKind * Days / 7.0));
        }

        Console.WriteLine();
        Console.WriteLine("| rule | " + string.Join(" | ", Kinds.Where(k => k is not ("gaps" or "daily peak only")).Select(k => $"recall: {k}")) + " | false alarms: gaps | false alarms: daily peak | false alarms on day 1 (all series) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        for (var d = 0; d < detectors.Length; d++)
        {
            Console.WriteLine(results[d].KindRow(detectors[d].Name));
        }
    }

    private static string Lit(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static RuleOptions Rule(string name, string threshold, string? recover) =>
        new() { Name = name, File = "bench", Line = 1, Topic = "#", When = $"value > {threshold}", Recover = recover is null ? null : $"value < {recover}" };

    private sealed record Incident(string Kind, DateTimeOffset From, DateTimeOffset To);

    private sealed class Series
    {
        public required double Threshold { get; init; }

        public required double Noise { get; init; }

        public required List<(DateTimeOffset Time, double Value)> Samples { get; init; }

        public required List<Incident> Incidents { get; init; }

        public static Series Generate(string kind, Random random)
        {
            var level = 20 + (random.NextDouble() * 80);
            var daily = level * (0.05 + (random.NextDouble() * 0.15));
            var weekend = daily * random.NextDouble();
            var noise = level * (0.01 + (random.NextDouble() * 0.02));
            var peak = kind == "daily peak only" || random.NextDouble() < 0.5 ? 6 * noise : 0;
            var threshold = level + daily + peak + (4 * noise);
            var count = Days * 24 * 12;
            var offsets = new double[count];
            var hovering = new bool[count];
            var missing = new bool[count];
            var incidents = new List<Incident>();
            int Slot() => (7 * 288) + random.Next(count - (8 * 288));
            DateTimeOffset At(int i) => Start + (Step * i);
            switch (kind)
            {
                case "spike":
                    for (var n = 0; n < 5; n++)
                    {
                        var i = Slot();
                        offsets[i] += 10 * noise;
                        incidents.Add(new Incident(kind, At(i), At(i + 1)));
                    }

                    break;
                case "level shift":
                    for (var n = 0; n < 3; n++)
                    {
                        var i = Slot();
                        var length = 48;
                        for (var j = i; j < Math.Min(count, i + length); j++)
                        {
                            offsets[j] += daily + peak + (6 * noise);
                        }

                        incidents.Add(new Incident(kind, At(i), At(i + length)));
                    }

                    break;
                case "slow drift":
                    for (var n = 0; n < 2; n++)
                    {
                        var i = Slot() - 288;
                        var length = 288;
                        var top = daily + peak + (10 * noise);
                        var from = -1;
                        for (var j = 0; j < length; j++)
                        {
                            offsets[i + j] += top * j / length;
                            from = from < 0 && top * j / length > daily + peak + (4 * noise) ? i + j : from;
                        }

                        incidents.Add(new Incident(kind, At(from), At(i + length)));
                    }

                    break;
                case "flapping":
                    for (var n = 0; n < 2; n++)
                    {
                        var i = Slot();
                        for (var j = i; j < Math.Min(count, i + 72); j++)
                        {
                            hovering[j] = true;
                        }

                        incidents.Add(new Incident(kind, At(i), At(i + 72)));
                    }

                    break;
                case "gaps":
                    for (var n = 0; n < 3; n++)
                    {
                        var i = Slot();
                        for (var j = i; j < Math.Min(count, i + 72); j++)
                        {
                            missing[j] = true;
                        }
                    }

                    break;
            }

            var samples = new List<(DateTimeOffset, double)>(count);
            for (var i = 0; i < count; i++)
            {
                if (missing[i])
                {
                    continue;
                }

                var time = At(i);
                var hour = time.TimeOfDay.TotalHours;
                var isWeekend = time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
                var season = (daily * Math.Sin(2 * Math.PI * (hour - 8) / 24)) - (isWeekend ? weekend : 0);
                var dailyPeak = hour is >= 3 and < 3.5 ? peak : 0;
                var value = hovering[i]
                    ? threshold + (noise * Gaussian(random))
                    : level + season + dailyPeak + offsets[i] + (noise * Gaussian(random));
                samples.Add((time, value));
            }

            return new Series { Threshold = threshold, Noise = noise, Samples = samples, Incidents = incidents };
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>Normal → Pending (for) → Firing → Recovering (clear_for) → Normal; an onset is each entry into Firing from Normal or Pending.</summary>
    private sealed class MiniLifecycle(TimeSpan @for, TimeSpan clearFor)
    {
        private AlarmState state = AlarmState.Normal;
        private DateTimeOffset since;

        public List<DateTimeOffset> Onsets { get; } = [];

        public void Observe(RuleVerdict verdict)
        {
            var t = verdict.Time;
            switch (state)
            {
                case AlarmState.Normal when verdict.When:
                    (state, since) = @for == TimeSpan.Zero ? Fire(t) : (AlarmState.Pending, t);
                    break;
                case AlarmState.Pending:
                    state = !verdict.When ? AlarmState.Normal : t - since >= @for ? Fire(t).Item1 : state;
                    break;
                case AlarmState.Firing when verdict.Recover:
                    (state, since) = clearFor == TimeSpan.Zero ? (AlarmState.Normal, t) : (AlarmState.Recovering, t);
                    break;
                case AlarmState.Recovering:
                    state = verdict.When ? AlarmState.Firing : verdict.Recover && t - since >= clearFor ? AlarmState.Normal : state;
                    break;
            }
        }

        private (AlarmState, DateTimeOffset) Fire(DateTimeOffset t)
        {
            Onsets.Add(t);
            return (AlarmState.Firing, t);
        }
    }

    /// <summary>The lifecycle's notifications (not resolutions), with the virtual time they were sent at.</summary>
    private sealed class NotificationLog : IAlarmSink
    {
        public List<(string Rule, DateTimeOffset Time)> Sent { get; } = [];

        public void Transition(AlarmTransition transition)
        {
        }

        public void Notify(AlarmNotification notification)
        {
            if (notification.Kind != "resolved")
            {
                Sent.Add((notification.Rule, notification.Alarms.Count > 0 ? notification.Alarms.Max(a => a.Since) : DateTimeOffset.MinValue));
            }
        }
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Score
    {
        private int notifiedInIncidents;
        private int notifiedOutside;

        private readonly List<double> detectMinutes = [];
        private readonly Dictionary<string, (int Incidents, int Detected, int FalseAlarms)> byKind = [];
        private int falseAlarmsOnDayOne;
        private int incidents;
        private int detected;
        private int truePositives;
        private int onsets;

        public void Add(string kind, List<Incident> truth, List<DateTimeOffset> alarms)
        {
            onsets += alarms.Count;
            var matched = alarms.Where(a => truth.Any(i => a >= i.From && a < i.To + Grace)).ToList();
            truePositives += matched.Count;
            var found = 0;
            foreach (var incident in truth)
            {
                var first = alarms.Where(a => a >= incident.From && a < incident.To + Grace).Order().FirstOrDefault();
                if (first != default)
                {
                    found++;
                    detectMinutes.Add((first - incident.From).TotalMinutes);
                }
            }

            incidents += truth.Count;
            detected += found;
            falseAlarmsOnDayOne += alarms.Count(a => a < Start.AddDays(1) && !matched.Contains(a));
            var known = byKind.GetValueOrDefault(kind);
            byKind[kind] = (known.Incidents + truth.Count, known.Detected + found, known.FalseAlarms + alarms.Count - matched.Count);
        }

        public void AddNotifications(List<Incident> truth, List<DateTimeOffset> sent)
        {
            var inside = sent.Count(t => truth.Any(i => t >= i.From && t < i.To + Grace));
            notifiedInIncidents += inside;
            notifiedOutside += sent.Count - inside;
        }

        public string Row(string name, double seriesWeeks)
        {
            var sorted = detectMinutes.Order().ToList();
            var median = sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
            return string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {(onsets == 0 ? 1 : truePositives / (double)onsets):0.00} ({truePositives}/{onsets} onsets) | {detected / (double)incidents:0.00} ({detected}/{incidents}) | {median:0} / {sorted.DefaultIfEmpty(double.NaN).Average():0} min | {(detected == 0 ? 0 : truePositives / (double)detected):0.0} | {(onsets - truePositives) / seriesWeeks:0.00} | {notifiedInIncidents / (double)incidents:0.00} | {notifiedOutside} |");
        }

        public string KindRow(string name)
        {
            string Recall(string kind) => byKind.TryGetValue(kind, out var k) && k.Incidents > 0 ? string.Create(CultureInfo.InvariantCulture, $"{k.Detected}/{k.Incidents}") : "-";
            return $"| {name} | {string.Join(" | ", Kinds.Where(k => k is not ("gaps" or "daily peak only")).Select(Recall))} | {byKind.GetValueOrDefault("gaps").FalseAlarms} | {byKind.GetValueOrDefault("daily peak only").FalseAlarms} | {falseAlarmsOnDayOne} |";
        }
    }
}
