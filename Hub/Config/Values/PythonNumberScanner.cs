using System.Globalization;
using System.Numerics;

namespace Hub.Config.Values;

/// <summary>Python 3 number tokens: decimal, <c>0x</c>/<c>0o</c>/<c>0b</c> integers with <c>_</c> separators, and floats.</summary>
internal static class PythonNumberScanner
{
    /// <summary>Scans a number at <paramref name="position"/>: a <see cref="long"/>, <see cref="BigInteger"/> or <see cref="double"/>.</summary>
    public static object Scan(string text, ref int position)
    {
        var result = text[position] == '0' && position + 1 < text.Length && "xXoObB".Contains(text[position + 1], StringComparison.Ordinal)
            ? ScanPrefixed(text, ref position)
            : ScanDecimal(text, ref position);
        // "1j" (complex), "0x1Fg" or "1_" run into a name: not a literal.
        if (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
        {
            throw new NotALiteralException();
        }

        return result;
    }

    public static object Narrow(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    private static object ScanPrefixed(string text, ref int position)
    {
        var radix = char.ToLowerInvariant(text[position + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
        position += 2;
        var value = BigInteger.Zero;
        var digits = 0;
        while (position < text.Length)
        {
            var c = text[position];
            // Python allows one "_" before each digit, also right after the prefix ("0x_1f").
            if (c == '_' && position + 1 < text.Length && DigitValue(text[position + 1]) is var next && next >= 0 && next < radix)
            {
                position++;
                continue;
            }

            var digit = DigitValue(c);
            if (digit < 0 || digit >= radix)
            {
                break;
            }

            value = (value * radix) + digit;
            digits++;
            position++;
        }

        return digits == 0 ? throw new NotALiteralException() : Narrow(value);
    }

    private static object ScanDecimal(string text, ref int position)
    {
        var integerPart = ScanDigits(text, ref position);
        var isFloat = false;
        var fraction = "";
        if (position < text.Length && text[position] == '.')
        {
            position++;
            isFloat = true;
            fraction = ScanDigits(text, ref position);
            if (integerPart.Length == 0 && fraction.Length == 0)
            {
                throw new NotALiteralException();
            }
        }

        var exponent = "";
        if (position < text.Length && text[position] is 'e' or 'E')
        {
            var start = position;
            position++;
            var sign = position < text.Length && text[position] is '+' or '-' ? text[position++].ToString() : "";
            var digits = ScanDigits(text, ref position);
            if (digits.Length == 0)
            {
                position = start;
            }
            else
            {
                exponent = "e" + sign + digits;
                isFloat = true;
            }
        }

        if (isFloat)
        {
            var literal = (integerPart.Length == 0 ? "0" : integerPart) + "." + (fraction.Length == 0 ? "0" : fraction) + exponent;
            return double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        // "007" is a syntax error in Python 3 (only zeros may lead: "000" is 0).
        if (integerPart.Length > 1 && integerPart[0] == '0' && integerPart.Any(c => c != '0'))
        {
            throw new NotALiteralException();
        }

        return Narrow(BigInteger.Parse(integerPart, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>Decimal digits with single <c>_</c> between them; returns the digits without separators.</summary>
    private static string ScanDigits(string text, ref int position)
    {
        var start = position;
        while (position < text.Length)
        {
            if (char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            else if (text[position] == '_' && position > start && position + 1 < text.Length && char.IsAsciiDigit(text[position + 1]))
            {
                position++;
            }
            else
            {
                break;
            }
        }

        return text[start..position].Replace("_", "", StringComparison.Ordinal);
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
