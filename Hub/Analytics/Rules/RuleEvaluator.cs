using System.Collections.Concurrent;
using Hub.Analytics.Rules.Derived;
using Hub.Formatting;
using Hub.Mqtt;

namespace Hub.Analytics.Rules;

/// <summary>
/// Evaluates the rules of one configuration against messages (<c>hub run</c>, <c>hub test</c>, <c>hub replay</c>):
/// per matching rule, read the value, render the key, update the key's derived values and decide <c>when</c> and
/// <c>recover</c>. Keys of one rule are independent; a key is locked while its sample updates it, so route workers
/// may call this from several threads.
/// </summary>
internal sealed class RuleEvaluator : IRuleEvaluator
{
    private readonly Entry[] rules;
    private readonly ISeasonalProfiles? profiles;

    /// <summary>Compiles <paramref name="rules"/> (the configuration checked them, so a problem here is a bug: it throws).</summary>
    public RuleEvaluator(IEnumerable<RuleOptions> rules, ISeasonalProfiles? profiles = null)
    {
        this.profiles = profiles;
        this.rules = [.. rules.Select(options =>
        {
            var problems = new List<RuleProblem>();
            var compiled = RuleCompiler.Compile(options, problems)
                ?? throw new InvalidOperationException($"Rule '{options.Name}': {string.Join("; ", problems.Select(p => p.Message))}");
            return new Entry(compiled);
        })];
    }

    /// <summary>The compiled rules, in configuration order.</summary>
    public IEnumerable<CompiledRule> Rules => rules.Select(r => r.Rule);

    /// <summary>How many keys the rules keep state for.</summary>
    public int KeyCount => rules.Sum(r => r.States.Count);

    /// <summary>True when <paramref name="topic"/> reaches at least one rule (the router asks before evaluating).</summary>
    public bool Matches(string topic) => rules.Any(r => TopicFilter.Matches(r.Rule.Options.Topic, topic));

    public IReadOnlyList<RuleVerdict> Evaluate(string topic, ReadOnlyMemory<byte> payload, DateTimeOffset arrival)
    {
        List<RuleVerdict>? verdicts = null;
        IReadOnlyDictionary<string, object?>? data = null;
        foreach (var entry in rules)
        {
            var rule = entry.Rule;
            if (!TopicFilter.Matches(rule.Options.Topic, topic))
            {
                continue;
            }

            if (rule.NeedsData)
            {
                data ??= SampleData.Data(topic, payload.Span);
            }

            (verdicts ??= []).Add(Evaluate(entry, topic, payload.Span, data, arrival));
        }

        return verdicts ?? (IReadOnlyList<RuleVerdict>)[];
    }

    private RuleVerdict Evaluate(Entry entry, string topic, ReadOnlySpan<byte> payload, IReadOnlyDictionary<string, object?>? data, DateTimeOffset arrival)
    {
        var rule = entry.Rule;
        var options = rule.Options;
        var slots = new double[rule.SlotCount];
        var key = options.Key == "{topic}" ? topic : Render(options.Key, data!, topic);
        var labels = rule.StaticLabels ?? options.Alarm.Labels.ToDictionary(l => l.Key, l => Render(l.Value, data!, l.Value));
        var time = arrival;
        var error = ReadTime(rule, data, ref time) ?? ReadValue(rule, payload, data, slots);
        if (error is not null)
        {
            return new RuleVerdict(options.Name, key, time, null, false, false, error, new SlotValues(rule.Shown, slots), labels);
        }

        if (rule.When.Literals.Count > 0)
        {
            slots[DerivedNames.Threshold] = rule.When.Literals[0];
        }

        if (rule.Recover?.Literals.Count > 0)
        {
            slots[DerivedNames.RecoverThreshold] = rule.Recover.Literals[0];
        }

        // A learned profile is looked up (one query) only for a rule that reads the baseline.
        var profileSource = (rule.Plan.Needs & DerivedNeeds.Baseline) != 0 ? profiles : null;
        var state = entry.States.GetOrAdd(key, static (k, source) => new KeyState(source?.Find(k)), profileSource);
        lock (state)
        {
            state.Update(slots[DerivedNames.Value], time, rule.Plan, slots);
        }

        var when = rule.When.IsTrue(slots);
        var recover = rule.Recover?.IsTrue(slots) ?? !when;
        return new RuleVerdict(options.Name, key, time, slots[DerivedNames.Value], when, recover, null, new SlotValues(rule.Shown, slots), labels);
    }

    /// <summary>The event time from <c>time =</c>; an error when the payload has none that can be read.</summary>
    private static string? ReadTime(CompiledRule rule, IReadOnlyDictionary<string, object?>? data, ref DateTimeOffset time)
    {
        if (rule.Options.Time is not { } format)
        {
            return null;
        }

        var raw = IsSingleField(format) && data!.TryGetValue(format[1..^1], out var member) ? member : Render(format, data!, null);
        if (raw is null || !SampleData.TryTime(raw, out var eventTime))
        {
            return $"'time = {format}' gives no time (epoch seconds or ISO 8601): '{raw}'";
        }

        time = eventTime;
        return null;
    }

    private static string? ReadValue(CompiledRule rule, ReadOnlySpan<byte> payload, IReadOnlyDictionary<string, object?>? data, double[] slots)
    {
        var isNumber = SampleData.TryPayloadNumber(payload, out var number);
        slots[DerivedNames.Payload] = isNumber ? number : double.NaN;
        foreach (var (path, slot) in rule.Fields)
        {
            if (!SampleData.TryField(data!, path, out slots[slot], out var fieldError))
            {
                return fieldError;
            }
        }

        if (rule.Value is null)
        {
            if (!isNumber)
            {
                return "the payload is not a number (set 'value =' to read a field)";
            }

            slots[DerivedNames.Value] = number;
            return null;
        }

        var value = rule.Value.Evaluate(slots);
        if (!double.IsFinite(value))
        {
            return $"'value = {rule.Value.Text}' is not a finite number: {value}";
        }

        slots[DerivedNames.Value] = value;
        return null;
    }

    private static bool IsSingleField(string format) =>
        format.Length > 2 && format[0] == '{' && format[^1] == '}' && format.AsSpan(1, format.Length - 2).IndexOfAny("{}:!.[") < 0;

    private static string Render(string format, IReadOnlyDictionary<string, object?> data, string? fallback) =>
        PyFormatter.Instance.TryFormat(format, data, out var text, out _) ? text : fallback ?? format;

    private sealed class Entry(CompiledRule rule)
    {
        public CompiledRule Rule { get; } = rule;

        public ConcurrentDictionary<string, KeyState> States { get; } = new(StringComparer.Ordinal);
    }
}
