using System.Globalization;
using System.Text;
using Hub.Analytics.Rules;
using Hub.Config;

namespace Hub.Cli;

/// <summary>The rules part of <c>hub test</c>: for each rule the message reaches, its key, value, derived values and verdict.</summary>
internal static class RuleTestOutput
{
    /// <summary>Writes the rules' verdicts on one message (a key's first sample: rate and delta are not known yet); returns how many were errors.</summary>
    public static int Write(HubConfig config, string topic, string payload, TextWriter o)
    {
        if (config.Rules.Count == 0)
        {
            return 0;
        }

        var evaluator = new RuleEvaluator(config.Rules.Select(r => r.Options));
        var verdicts = evaluator.Evaluate(topic, Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow);
        if (verdicts.Count == 0)
        {
            o.WriteLine();
            o.WriteLine("No rule matches this topic.");
            return 0;
        }

        var errors = 0;
        foreach (var verdict in verdicts)
        {
            var rule = config.Rules.First(r => r.Options.Name == verdict.Rule).Options;
            o.WriteLine();
            o.WriteLine($"[rule:{rule.Name}] matches ({rule.File}:{rule.Line})");
            o.WriteLine($"  key:      {verdict.Key}");
            o.WriteLine($"  time:     {verdict.Time:O}{(rule.Time is null ? " (arrival)" : $" (from {rule.Time})")}");
            if (verdict.Error is not null)
            {
                errors++;
                o.WriteLine($"  error:    {verdict.Error}");
                o.WriteLine("  verdict:  error (the key goes to the Error state)");
                continue;
            }

            o.WriteLine($"  value:    {Text(verdict.Value)}{(rule.Value is null ? " (the payload)" : $" (value = {rule.Value})")}");
            foreach (var (name, value) in verdict.Values.Where(v => v.Key != "value"))
            {
                o.WriteLine($"    {name} = {Text(value)}");
            }

            o.WriteLine($"  when:     {rule.When} → {Bool(verdict.When)}");
            o.WriteLine($"  recover:  {rule.Recover ?? $"not ({rule.When})"} → {Bool(verdict.Recover)}");
            o.WriteLine($"  verdict:  {(verdict.When ? Firing(rule) : verdict.Recover ? "normal (recover holds)" : "unchanged (neither when nor recover holds: hysteresis)")}");
            if (rule.Alarm.Labels.Count > 0)
            {
                o.WriteLine($"  labels:   {string.Join(", ", verdict.Labels.Select(l => $"{l.Key}={l.Value}"))}");
            }
        }

        return errors;
    }

    private static string Firing(Analytics.RuleOptions rule) => rule.Alarm.For > TimeSpan.Zero
        ? $"pending (when holds; fires after {Config.Values.Durations.Format(rule.Alarm.For)}), severity {rule.Alarm.Severity}"
        : $"firing (when holds), severity {rule.Alarm.Severity}";

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Text(object? value) => value switch
    {
        null => "(not known yet)",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        bool b => Bool(b),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
