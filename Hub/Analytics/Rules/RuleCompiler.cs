using System.Text.RegularExpressions;
using Hub.Analytics.Rules.Derived;
using Hub.Analytics.Rules.Expressions;
using Hub.Formatting;

namespace Hub.Analytics.Rules;

/// <summary>
/// Compiles a <see cref="RuleOptions"/> once: its <c>value</c>, <c>when</c> and <c>recover</c> expressions, the derived
/// values they and the texts (<c>summary</c>, <c>description</c>) read, and the payload fields they need. The reader
/// calls it to report problems at their lines (<c>hub check</c>); the evaluator to run the rule.
/// </summary>
internal static partial class RuleCompiler
{
    /// <summary>The rule compiled, or null with every problem in <paramref name="problems"/>.</summary>
    public static CompiledRule? Compile(RuleOptions options, List<RuleProblem> problems, bool compile = true)
    {
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var fields = new List<(string, int)>();
        var percentiles = new List<(double, int)>();
        var needs = DerivedNeeds.None;
        var before = problems.Count;

        int ConditionSlot(string name)
        {
            if (slots.TryGetValue(name, out var known))
            {
                return known;
            }

            var slot = DerivedNames.SlotOf(name);
            if (slot == DerivedNames.Median)
            {
                percentiles.Add((50, slot));
            }

            if (slot >= 0)
            {
                needs |= DerivedNames.NeedOf(name);
                slots[name] = slot;
                return slot;
            }

            slot = DerivedNames.FixedCount + slots.Count(s => s.Value >= DerivedNames.FixedCount);
            if (DerivedNames.Percentile(name) is { } percentile)
            {
                needs |= DerivedNeeds.Window;
                percentiles.Add((percentile, slot));
            }
            else
            {
                fields.Add((name, slot));
            }

            slots[name] = slot;
            return slot;
        }

        int ValueSlot(string name) => DerivedNames.IsDerived(name)
            ? throw new RuleExpressionException($"'{name}' is a derived value: 'value' reads the payload ('payload' or its fields) and the conditions read '{name}'")
            : ConditionSlot(name);

        var value = Expression("value", options.Value, ValueSlot, problems, compile);
        var when = Expression("when", options.When, ConditionSlot, problems, compile);
        var recover = Expression("recover", options.Recover, ConditionSlot, problems, compile);
        foreach (var name in TextNames(options))
        {
            if (DerivedNames.IsDerived(name))
            {
                ConditionSlot(name);
            }
        }

        if (problems.Count > before || when is null)
        {
            return null;
        }

        var shown = new List<(string, int)> { ("value", DerivedNames.Value) };
        shown.AddRange(slots.Where(s => s.Key != "value").Select(s => (s.Key, s.Value)));
        // The other values the kept state gives anyway are shown too (hub test, summaries): mean beside zscore.
        shown.AddRange(DerivedNames.Fixed.Where(n => !slots.ContainsKey(n) && n != "median" && DerivedNames.NeedOf(n) != DerivedNeeds.None && (DerivedNames.NeedOf(n) & ~needs) == 0)
            .Select(n => (n, DerivedNames.SlotOf(n))));
        if (when.Literals.Count > 0)
        {
            shown.Add(("threshold", DerivedNames.Threshold));
        }

        if (recover?.Literals.Count > 0)
        {
            shown.Add(("recover_threshold", DerivedNames.RecoverThreshold));
        }

        var labelsAreFormats = options.Alarm.Labels.Values.Any(v => v.Contains('{', StringComparison.Ordinal));
        return new CompiledRule
        {
            Options = options,
            Value = value,
            When = when,
            Recover = recover,
            Plan = new DerivedPlan(needs, options.Derived, [.. percentiles]),
            SlotCount = DerivedNames.FixedCount + slots.Count(s => s.Value >= DerivedNames.FixedCount),
            Fields = [.. fields],
            Shown = [.. shown],
            NeedsData = fields.Count > 0 || options.Key != "{topic}" || options.Time is not null || labelsAreFormats,
            StaticLabels = labelsAreFormats ? null : options.Alarm.Labels,
        };
    }

    private static RuleExpression? Expression(string key, string? text, Func<string, int> slotOf, List<RuleProblem> problems, bool compile)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return RuleExpressionCompiler.Compile(text, slotOf, compile);
        }
        catch (RuleExpressionException ex)
        {
            problems.Add(new RuleProblem(key, $"'{key}' is not a valid expression: {ex.Message}"));
            return null;
        }
    }

    /// <summary>The replacement-field names of <c>summary</c> and <c>description</c> (<c>{mean:.1f}</c> reads <c>mean</c>).</summary>
    private static IEnumerable<string> TextNames(RuleOptions options) =>
        new[] { options.Alarm.Summary, options.Alarm.Description }.OfType<string>()
            .SelectMany(text => FieldName().Matches(text).Select(m => m.Groups[1].Value));

    [GeneratedRegex(@"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex FieldName();
}
