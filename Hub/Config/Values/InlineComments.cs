using System.Text;

namespace Hub.Config.Values;

/// <summary>
/// The hub's inline comments for <c>[defaults]</c> and <c>[config:*]</c>: on each line, a <c>;</c> preceded by
/// whitespace and outside a quoted string starts a comment (mqttwarn would keep it as part of the value).
/// </summary>
internal static class InlineComments
{
    public static string Remove(string value)
    {
        if (!value.Contains(';', StringComparison.Ordinal))
        {
            return value;
        }

        var output = new StringBuilder(value.Length);
        var scanner = new QuoteTracker();
        var skippingComment = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\n')
            {
                skippingComment = false;
                scanner.EndLine();
                output.Append(c);
                continue;
            }

            if (skippingComment)
            {
                continue;
            }

            if (c == ';' && !scanner.InString && i > 0 && char.IsWhiteSpace(value[i - 1]))
            {
                skippingComment = true;
                TrimTrailingBlanks(output);
                continue;
            }

            i += scanner.Advance(value, i);
            output.Append(value, i - scanner.LastConsumed + 1, scanner.LastConsumed);
        }

        return output.ToString();
    }

    private static void TrimTrailingBlanks(StringBuilder output)
    {
        while (output.Length > 0 && output[^1] is ' ' or '\t' or '\f' or '\v')
        {
            output.Length--;
        }
    }

    /// <summary>Follows Python quoting (<c>' " ''' """</c>, backslash escapes) across the lines of a value.</summary>
    private sealed class QuoteTracker
    {
        private string? openQuote;

        public bool InString => openQuote is not null;

        public int LastConsumed { get; private set; }

        /// <summary>A single-quoted string cannot span lines; a stray apostrophe (e.g. in a <c>#</c> comment) ends with its line.</summary>
        public void EndLine()
        {
            if (openQuote is { Length: 1 })
            {
                openQuote = null;
            }
        }

        /// <summary>Consumes the token at <paramref name="i"/> and returns how many extra characters it took.</summary>
        public int Advance(string value, int i)
        {
            var c = value[i];
            if (openQuote is not null)
            {
                if (c == '\\' && i + 1 < value.Length && value[i + 1] != '\n')
                {
                    return Consumed(2);
                }

                if (string.CompareOrdinal(value, i, openQuote, 0, openQuote.Length) == 0)
                {
                    var length = openQuote.Length;
                    openQuote = null;
                    return Consumed(length);
                }

                return Consumed(1);
            }

            if (c is '\'' or '"')
            {
                var triple = new string(c, 3);
                openQuote = string.CompareOrdinal(value, i, triple, 0, 3) == 0 ? triple : c.ToString();
                return Consumed(openQuote.Length);
            }

            return Consumed(1);
        }

        private int Consumed(int count)
        {
            LastConsumed = count;
            return count - 1;
        }
    }
}
