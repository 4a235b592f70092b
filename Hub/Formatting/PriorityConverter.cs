using System.Globalization;
using System.Numerics;

namespace Hub.Formatting;

/// <summary>Python's <c>int(value)</c> as mqttwarn applies it to a rendered priority (mqttwarn-compat §6.5).</summary>
public static class PriorityConverter
{
    /// <summary>
    /// Integers as they are, floats truncated toward zero, bools 1/0, text trimmed with an optional sign and
    /// digits (single <c>_</c> between digits allowed). Anything else, or a value outside <see cref="int"/>,
    /// gives 0 and <paramref name="ok"/> false.
    /// </summary>
    public static int ToPriority(object? value, out bool ok)
    {
        var number = DataValue.Normalize(value) switch
        {
            bool flag => flag ? 1 : 0,
            long integer => integer,
            BigInteger big => big,
            double real when double.IsFinite(real) => new BigInteger(Math.Truncate(real)),
            string text => ParseText(text),
            _ => (BigInteger?)null,
        };
        ok = number is { } n && n >= int.MinValue && n <= int.MaxValue;
        return ok ? (int)number!.Value : 0;
    }

    private static BigInteger? ParseText(string text)
    {
        var span = text.AsSpan().Trim();
        var negative = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span.Length == 0 || span.Length > 64 || !IsDigit(span[0]) || !IsDigit(span[^1]))
        {
            return null;
        }

        var value = BigInteger.Zero;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == '_')
            {
                if (!IsDigit(span[i + 1]))
                {
                    return null;
                }

                continue;
            }

            if (!IsDigit(span[i]))
            {
                return null;
            }

            value = value * 10 + CharUnicodeInfo.GetDecimalDigitValue(span[i]);
        }

        return negative ? -value : value;
    }

    private static bool IsDigit(char c) => CharUnicodeInfo.GetDecimalDigitValue(c) >= 0 && char.IsDigit(c);
}
