namespace Hub.Analytics.Rules.Expressions;

/// <summary>An expression that cannot be compiled: the message names the column (from 1) and what was expected.</summary>
internal sealed class RuleExpressionException(string message) : Exception(message);
