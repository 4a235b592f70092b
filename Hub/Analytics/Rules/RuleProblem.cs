namespace Hub.Analytics.Rules;

/// <summary>Why a rule cannot be compiled: the key at fault (its line is in <see cref="RuleOptions.Keys"/>) and the message.</summary>
internal sealed record RuleProblem(string Key, string Message);
