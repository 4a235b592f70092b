using System.CommandLine;
using System.Diagnostics;
using Hub.Analytics;
using Hub.Analytics.Alarms;
using Hub.Analytics.Rules;

namespace Hub.Cli;

/// <summary>
/// <c>hub replay --config FILE DATA [--rule NAME] [--from T] [--to T] [--topic T]</c> (docs/replay.md): recorded data
/// through the rules and the alarm lifecycle on a virtual clock in event time, as fast as the CPU allows; every
/// transition printed as one JSON line (the <c>alarms/events</c> object with <c>time</c>, the event time, first).
/// Nothing is sent and no state is written; a summary goes to standard error.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(Option<string?> config, Func<CliContext> cli)
    {
        var data = new Argument<string>("DATA") { Description = "CSV (timestamp,value with --topic, or timestamp,topic,value) or JSON Lines ({\"ts\",\"topic\",\"payload\"})" };
        var rule = new Option<string[]>("--rule") { Description = "Only this rule (repeatable); default every rule", HelpName = "NAME" };
        var from = new Option<string?>("--from") { Description = "Skip data before this time (ISO 8601 or epoch seconds)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "Skip data from this time on; the clock runs to it at the end (timers due by then fire)", HelpName = "T" };
        var topic = new Option<string?>("--topic") { Description = "The topic of a timestamp,value CSV (or of JSON lines without one)", HelpName = "T" };
        var replay = new Command("replay", "Feed recorded data through the rules on a virtual clock and print every alarm transition as JSON") { data, rule, from, to, topic };
        replay.SetAction(r => CliApp.Guard(cli(), () => Task.FromResult(Execute(r.GetValue(config), r.GetValue(data)!, r.GetValue(rule) ?? [], r.GetValue(from), r.GetValue(to), r.GetValue(topic), cli())))
            .GetAwaiter().GetResult());
        return replay;
    }

    public static int Execute(string? configOption, string dataPath, IReadOnlyList<string> ruleNames, string? fromText, string? toText, string? topic, CliContext cli)
    {
        if (ConfigSource.Load(configOption, cli) is not { } config)
        {
            return ExitCodes.ConfigError;
        }

        var unknown = ruleNames.Where(n => config.Rules.All(r => r.Options.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            cli.Error.WriteLine($"No such rule: {string.Join(", ", unknown)} (rules: {string.Join(", ", config.Rules.Select(r => r.Options.Name))})");
            return ExitCodes.ConfigError;
        }

        DateTimeOffset? from = null, to = null;
        if (fromText is not null && !TryTime(fromText, "--from", cli, out from) || toText is not null && !TryTime(toText, "--to", cli, out to))
        {
            return ExitCodes.ConfigError;
        }

        if (!File.Exists(dataPath))
        {
            cli.Error.WriteLine($"{dataPath}: no such file");
            return ExitCodes.Failure;
        }

        var rules = config.Rules.Select(r => r.Options).Where(r => ruleNames.Count == 0 || ruleNames.Contains(r.Name)).ToList();
        var clock = new ReplayClock(from ?? DateTimeOffset.UnixEpoch);
        var output = new ReplayOutput(cli.Out, clock);
        using var lifecycle = new AlarmLifecycle(rules, output, clock);
        var evaluator = new RuleEvaluator(rules);
        var (samples, verdicts, problems) = (0L, 0L, 0);
        var watch = Stopwatch.StartNew();
        foreach (var record in ReplayData.Read(dataPath, topic, p => { problems++; cli.Error.WriteLine(p); }))
        {
            if (record.Time < from || record.Time >= to)
            {
                continue;
            }

            samples++;
            clock.MoveTo(record.Time);
            lifecycle.Advance(clock.GetUtcNow());
            foreach (var verdict in evaluator.Evaluate(record.Topic, record.Payload, clock.GetUtcNow()))
            {
                verdicts++;
                lifecycle.Observe(verdict);
            }
        }

        if (to is { } end)
        {
            clock.MoveTo(end);
            lifecycle.Advance(end);
        }

        watch.Stop();
        cli.Out.Flush();
        var rate = verdicts / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
        cli.Error.WriteLine($"replay: {samples} messages, {verdicts} evaluations, {output.Transitions} transitions, {output.Notifications} notifications, "
            + $"{lifecycle.KeyCount} keys, {problems} unreadable lines, {watch.Elapsed.TotalSeconds:F2} s ({rate:F0} evaluations/s)");
        return ExitCodes.Ok;
    }

    private static bool TryTime(string text, string option, CliContext cli, out DateTimeOffset? time)
    {
        time = null;
        if (!ReplayData.TryParseTime(text, out var parsed))
        {
            cli.Error.WriteLine($"{option} '{text}' is not an ISO 8601 time or epoch seconds");
            return false;
        }

        time = parsed;
        return true;
    }

    /// <summary>Prints each transition as one JSON line with the virtual clock's time; counts notifications (none is sent).</summary>
    private sealed class ReplayOutput(TextWriter output, TimeProvider clock) : IAlarmSink
    {
        public long Transitions { get; private set; }
        public long Notifications { get; private set; }

        public void Transition(AlarmTransition transition)
        {
            Transitions++;
            output.WriteLine(AlarmJson.Transition(transition, transition.State != transition.Previous ? transition.Since : clock.GetUtcNow()));
        }

        public void Notify(AlarmNotification notification) => Notifications++;
    }
}
