using System.Numerics;

namespace Hub.Config.Values;

/// <summary>A recursive-descent parser for <see cref="PythonLiteral"/>; any input outside the subset fails.</summary>
internal sealed class PythonLiteralParser
{
    // Deep nesting is never a real configuration; the limit keeps hostile input from exhausting the stack.
    private const int MaxDepth = 100;

    private readonly string text;
    private readonly int leadingBlanks;
    private Dictionary<string, int>? topLevelKeyOffsets;
    private int position;
    private int bracketDepth;

    private PythonLiteralParser(string text)
    {
        this.text = text.Trim();
        leadingBlanks = text.Length - text.TrimStart().Length;
    }

    public static bool TryParse(string text, out object? value) => TryParse(text, out value, out _);

    /// <summary>
    /// Also reports where each key of a top-level dict starts in <paramref name="text"/> (first occurrence),
    /// so that a diagnostic can name the line of a service target.
    /// </summary>
    public static bool TryParse(string text, out object? value, out IReadOnlyDictionary<string, int> topLevelKeyOffsets)
    {
        var parser = new PythonLiteralParser(text) { topLevelKeyOffsets = new Dictionary<string, int>(StringComparer.Ordinal) };
        topLevelKeyOffsets = parser.topLevelKeyOffsets;
        try
        {
            value = parser.ParseTopLevel();
            return true;
        }
        catch (NotALiteralException)
        {
            value = null;
            return false;
        }
    }

    private object? ParseTopLevel()
    {
        SkipTrivia();
        Require(position < text.Length);
        var first = ParseValue();
        SkipTrivia();
        if (position == text.Length)
        {
            return first;
        }

        // A bare comma list at top level is a tuple: "1, 2" and "1," are lists.
        Require(Peek() == ',');
        var items = new List<object?> { first };
        while (Peek() == ',')
        {
            position++;
            SkipTrivia();
            if (position == text.Length)
            {
                break;
            }

            items.Add(ParseValue());
            SkipTrivia();
        }

        Require(position == text.Length);
        return items;
    }

    private object? ParseValue()
    {
        SkipTrivia();
        var c = Peek();
        return c switch
        {
            '[' => ParseList(),
            '(' => ParseParenthesized(),
            '{' => ParseDict(),
            '\'' or '"' => ParseStrings(),
            '+' or '-' => ParseSigned(),
            _ when char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(PeekAt(1))) => PythonNumberScanner.Scan(text, ref position),
            _ when char.IsLetter(c) || c == '_' => ParseName(),
            _ => throw new NotALiteralException(),
        };
    }

    private List<object?> ParseList()
    {
        Enter();
        var items = ParseItems(']');
        Leave();
        return items;
    }

    private object? ParseParenthesized()
    {
        Enter();
        SkipTrivia();
        if (Peek() == ')')
        {
            position++;
            Leave();
            return new List<object?>();
        }

        var first = ParseValue();
        SkipTrivia();
        if (Peek() == ')')
        {
            // "(5)" is 5; only a comma makes a tuple.
            position++;
            Leave();
            return first;
        }

        Require(Peek() == ',');
        position++;
        var items = ParseItems(')');
        items.Insert(0, first);
        Leave();
        return items;
    }

    /// <summary>Items up to <paramref name="closer"/>, comma separated, trailing comma allowed; the opener is consumed.</summary>
    private List<object?> ParseItems(char closer)
    {
        var items = new List<object?>();
        while (true)
        {
            SkipTrivia();
            if (Peek() == closer)
            {
                position++;
                return items;
            }

            items.Add(ParseValue());
            SkipTrivia();
            if (Peek() == ',')
            {
                position++;
                continue;
            }

            Require(Peek() == closer);
        }
    }

    private OrderedDictionary<string, object?> ParseDict()
    {
        Enter();
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipTrivia();
            if (Peek() == '}')
            {
                position++;
                Leave();
                return dict;
            }

            var keyOffset = position;
            var key = KeyText(ParseValue());
            if (bracketDepth == 1)
            {
                topLevelKeyOffsets?.TryAdd(key, leadingBlanks + keyOffset);
            }

            SkipTrivia();
            // "{'a', 'b'}" is a set: outside the subset.
            Require(Peek() == ':');
            position++;
            // Repeated keys: the last value wins, at the first key's position (as in Python).
            dict[key] = ParseValue();
            SkipTrivia();
            if (Peek() == ',')
            {
                position++;
                continue;
            }

            Require(Peek() == '}');
        }
    }

    private static string KeyText(object? key) => key switch
    {
        string s => s,
        null => "None",
        bool b => b ? "True" : "False",
        long or BigInteger => Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture)!,
        double d => PythonFloatText.Repr(d),
        _ => throw new NotALiteralException(),
    };

    private object ParseSigned()
    {
        var negative = Peek() == '-';
        position++;
        SkipTrivia();
        var c = Peek();
        // literal_eval allows one sign on a number only: "--5", "-True" and "-'a'" are not literals.
        Require(char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(PeekAt(1))));
        var number = PythonNumberScanner.Scan(text, ref position);
        if (!negative)
        {
            return number;
        }

        return number switch
        {
            double d => -d,
            long l => PythonNumberScanner.Narrow(-new BigInteger(l)),
            BigInteger b => PythonNumberScanner.Narrow(-b),
            _ => throw new NotALiteralException(),
        };
    }

    private object? ParseName()
    {
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        var name = text[start..position];
        if (Peek() is '\'' or '"')
        {
            position = start;
            return ParseStrings();
        }

        // mqttwarn needs the exact case inside containers; the hub accepts any.
        return name.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            "none" => null,
            _ => throw new NotALiteralException(),
        };
    }

    /// <summary>One or more adjacent string literals, concatenated (<c>'ab' "cd"</c> is <c>abcd</c>).</summary>
    private string ParseStrings()
    {
        var result = new System.Text.StringBuilder();
        while (true)
        {
            PythonStringScanner.Scan(text, ref position, result);
            var afterString = position;
            SkipTrivia();
            if (!StartsString())
            {
                position = afterString;
                return result.ToString();
            }
        }
    }

    private bool StartsString()
    {
        var i = position;
        while (i < text.Length && char.IsLetter(text[i]) && i - position < 2)
        {
            i++;
        }

        return i < text.Length && text[i] is '\'' or '"';
    }

    /// <summary>Skips blanks, <c>#</c> comments and backslash-newline; newlines only inside brackets.</summary>
    private void SkipTrivia()
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (c is ' ' or '\t' or '\f' || (c == '\n' && bracketDepth > 0))
            {
                position++;
            }
            else if (c == '\\' && PeekAt(1) == '\n')
            {
                position += 2;
            }
            else if (c == '#')
            {
                while (position < text.Length && text[position] != '\n')
                {
                    position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private void Enter()
    {
        position++;
        bracketDepth++;
        Require(bracketDepth <= MaxDepth);
    }

    private void Leave() => bracketDepth--;

    private char Peek() => position < text.Length ? text[position] : '\0';

    private char PeekAt(int offset) => position + offset < text.Length ? text[position + offset] : '\0';

    private static void Require(bool condition)
    {
        if (!condition)
        {
            throw new NotALiteralException();
        }
    }
}
