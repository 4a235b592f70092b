using Hub.Analytics.Rules.Expressions;

namespace Hub.Tests.Analytics.Rules.Expressions;

public sealed class RuleExpressionCompilerTests
{
    private static readonly string[] Names = ["value", "mean", "battery.low"];

    [Theory]
    [InlineData("value > 30", 31, 1)]
    [InlineData("value > 30", 30, 0)]
    [InlineData("value >= mean * 1.2 and not battery.low", 12, 1)]
    [InlineData("value - mean == 2 || false", 12, 1)]
    [InlineData("!(value != 12)", 12, 1)]
    [InlineData("abs(mean - value) / max(mean, 1, 2) * 100", 15, 50)]
    [InlineData("2 ** 3 + -value % 5", 7, 6)]
    [InlineData("clamp(value, 0, 10) + round(2.5) + min(4, value)", 12, 16)]
    [InlineData("1_000 + 1e3", 0, 2000)]
    public void Expressions_compute_with_operators_precedence_and_functions(string text, double value, double expected)
    {
        var expression = Compile(text);

        Assert.Equal(expected, expression.Evaluate([value, 10, 0]), 9);
    }

    [Fact]
    public void A_comparison_with_an_unknown_value_is_false_both_ways()
    {
        var above = Compile("value > 1");
        var below = Compile("value <= 1");

        Assert.False(above.IsTrue([double.NaN, 0, 0]));
        Assert.False(below.IsTrue([double.NaN, 0, 0]));
    }

    [Theory]
    [InlineData("value >", "ends too early")]
    [InlineData("value > 3)", "unexpected ')' at column 10")]
    [InlineData("system(value)", "unknown function 'system'")]
    [InlineData("abs(1, 2)", "abs() takes 1 argument, not 2")]
    [InlineData("value.GetType()", "unknown function 'value.GetType'")]
    [InlineData("value > nosuch", "'nosuch' is not known at column 9")]
    [InlineData("  ", "the expression is empty")]
    [InlineData("value = 3", "unexpected '='")]
    public void Invalid_expressions_are_refused_with_the_reason_and_column(string text, string reason)
    {
        var error = Assert.Throws<RuleExpressionException>(() => Compile(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_names_read_and_the_number_literals_are_reported()
    {
        var expression = Compile("value > 30 and mean < 28.5");

        Assert.Equal(["value", "mean"], expression.Identifiers);
        Assert.Equal([30.0, 28.5], expression.Literals);
    }

    private static RuleExpression Compile(string text) =>
        RuleExpressionCompiler.Compile(text, name => Array.IndexOf(Names, name) is var slot and >= 0 ? slot : throw new RuleExpressionException($"'{name}' is not known"));
}
