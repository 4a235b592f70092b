using System.Text.RegularExpressions;

namespace Hub.Analytics.Alarms;

/// <summary>
/// One label matcher as Alertmanager writes them: <c>site=north</c>, <c>site!=north</c>, <c>rule=~device_.*</c>,
/// <c>rule!~test.*</c> (regular expressions anchored at both ends). The labels an alarm is matched on are its own
/// plus <c>rule</c>, <c>key</c> and <c>severity</c>.
/// </summary>
internal sealed class LabelMatcher
{
    private readonly Regex? _regex;

    private LabelMatcher(string label, string op, string value, Regex? regex)
    {
        Label = label;
        Operator = op;
        Value = value;
        _regex = regex;
    }

    public string Label { get; }

    /// <summary><c>=</c>, <c>!=</c>, <c>=~</c> or <c>!~</c>.</summary>
    public string Operator { get; }

    public string Value { get; }

    /// <summary>Whether <paramref name="labels"/> satisfy the matcher (a missing label reads as the empty string).</summary>
    public bool Matches(Func<string, string?> labels)
    {
        var actual = labels(Label) ?? "";
        return Operator switch
        {
            "=" => actual == Value,
            "!=" => actual != Value,
            "=~" => _regex!.IsMatch(actual),
            _ => !_regex!.IsMatch(actual),
        };
    }

    public override string ToString() => $"{Label}{Operator}{Value}";

    /// <summary>Reads one matcher; null with the reason in <paramref name="error"/> when it is not one.</summary>
    public static LabelMatcher? Parse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        var at = trimmed.IndexOfAny(['=', '!']);
        if (at <= 0)
        {
            error = $"'{trimmed}' is not a matcher (LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX, LABEL!~REGEX)";
            return null;
        }

        var label = trimmed[..at].Trim();
        var rest = trimmed[at..];
        var op = rest.StartsWith("=~", StringComparison.Ordinal) ? "=~"
            : rest.StartsWith("!=", StringComparison.Ordinal) ? "!="
            : rest.StartsWith("!~", StringComparison.Ordinal) ? "!~"
            : rest.StartsWith('=') ? "=" : null;
        if (op is null || !IsLabel(label))
        {
            error = $"'{trimmed}' is not a matcher (LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX, LABEL!~REGEX)";
            return null;
        }

        var value = rest[op.Length..].Trim();
        if (value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'')
        {
            value = value[1..^1];
        }

        Regex? regex = null;
        if (op is "=~" or "!~")
        {
            try
            {
                regex = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException ex)
            {
                error = $"'{value}' is not a regular expression: {ex.Message}";
                return null;
            }
        }

        return new LabelMatcher(label, op, value, regex);
    }

    /// <summary>Reads a comma-separated list of matchers (commas inside quotes belong to the value); every problem is returned.</summary>
    public static IReadOnlyList<LabelMatcher> ParseList(string text, List<string> errors)
    {
        var matchers = new List<LabelMatcher>();
        foreach (var part in Split(text))
        {
            if (part.Trim().Length == 0)
            {
                continue;
            }

            if (Parse(part, out var error) is { } matcher)
            {
                matchers.Add(matcher);
            }
            else
            {
                errors.Add(error!);
            }
        }

        return matchers;
    }

    private static IEnumerable<string> Split(string text)
    {
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ',')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static bool IsLabel(string label) => label.Length > 0 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
