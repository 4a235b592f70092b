namespace Hub.Analytics.Rules.Expressions;

/// <summary>
/// One compiled rule expression: a delegate over the slots of a sample (value, derived values, payload fields), so an
/// evaluation reads an array and does arithmetic: no lookup by name, no boxing, no reflection. Booleans are 1 and 0;
/// a number is true when it is neither 0 nor NaN (a comparison with NaN, e.g. <c>rate</c> on a key's first sample, is false).
/// </summary>
internal sealed class RuleExpression(string text, Func<double[], double> evaluate, IReadOnlyList<string> identifiers, IReadOnlyList<double> literals)
{
    public string Text { get; } = text;

    /// <summary>The names the expression reads, in first-use order.</summary>
    public IReadOnlyList<string> Identifiers { get; } = identifiers;

    /// <summary>The number literals, in order (the first of <c>when</c> is the rule's <c>threshold</c>).</summary>
    public IReadOnlyList<double> Literals { get; } = literals;

    public double Evaluate(double[] slots) => evaluate(slots);

    public bool IsTrue(double[] slots) => Truth(evaluate(slots));

    public static bool Truth(double value) => value != 0 && !double.IsNaN(value);
}
