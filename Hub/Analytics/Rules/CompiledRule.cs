using Hub.Analytics.Rules.Derived;
using Hub.Analytics.Rules.Expressions;

namespace Hub.Analytics.Rules;

/// <summary>A rule ready to evaluate: its expressions compiled once, its slots laid out, its derived values planned.</summary>
internal sealed class CompiledRule
{
    public required RuleOptions Options { get; init; }

    /// <summary><c>value =</c> compiled, or null (the payload read as a number).</summary>
    public RuleExpression? Value { get; init; }

    public required RuleExpression When { get; init; }

    public RuleExpression? Recover { get; init; }

    public required DerivedPlan Plan { get; init; }

    /// <summary>How many slots a sample of this rule fills.</summary>
    public required int SlotCount { get; init; }

    /// <summary>The payload fields the expressions read, by dotted path, with their slots.</summary>
    public required (string Path, int Slot)[] Fields { get; init; }

    /// <summary>The names shown in verdicts (<c>hub test</c>, summaries) with their slots: value, derived values read, fields, thresholds.</summary>
    public required (string Name, int Slot)[] Shown { get; init; }

    /// <summary>True when the payload must be read as a JSON object (fields, a key, time or labels that name its members).</summary>
    public required bool NeedsData { get; init; }

    /// <summary>The labels when none of them is a format string, else null (rendered per sample).</summary>
    public IReadOnlyDictionary<string, string>? StaticLabels { get; init; }
}
