using System.Globalization;
using System.Text;

namespace Hub.Formatting;

/// <summary>
/// CPython's <c>PyOS_double_to_string</c> for finite and non-finite doubles: correctly rounded digits from
/// .NET (which rounds the exact binary value, ties to even) laid out with CPython's <c>format_float_short</c> rules.
/// </summary>
internal static class FloatText
{
    private static readonly string[] ExponentFormats = Enumerable.Range(0, 32).Select(i => "E" + i).ToArray();
    private static readonly string[] FixedFormats = Enumerable.Range(0, 32).Select(i => "F" + i).ToArray();

    /// <summary>Appends Python's <c>repr(float)</c>.</summary>
    public static void AppendRepr(StringBuilder builder, double value)
    {
        var start = builder.Length;
        if (AppendBody(builder, value, 'r', 0, alternate: false, addDotZero: true, noNegativeZero: false))
        {
            builder.Insert(start, '-');
        }
    }

    /// <summary>
    /// Appends the unsigned text of <paramref name="value"/> for a presentation type
    /// (<c>e E f F g G</c> or <c>r</c> for repr) and returns whether a minus sign belongs in front.
    /// </summary>
    public static bool AppendBody(StringBuilder builder, double value, char type, int precision, bool alternate, bool addDotZero, bool noNegativeZero)
    {
        var upper = char.IsUpper(type);
        if (double.IsNaN(value))
        {
            builder.Append(upper ? "NAN" : "nan");
            return false;
        }

        var negative = double.IsNegative(value);
        if (double.IsInfinity(value))
        {
            builder.Append(upper ? "INF" : "inf");
            return negative;
        }

        var lower = char.ToLowerInvariant(type);
        var (mode, digitCount) = lower switch
        {
            'e' => ('e', precision + 1),
            'f' => ('f', precision),
            'g' => ('e', precision == 0 ? 1 : precision),
            _ => ('r', 0),
        };
        var digits = Digits(Math.Abs(value), mode, digitCount, out var decimalPoint);
        if (noNegativeZero && digits == "0")
        {
            negative = false;
        }

        Layout(builder, digits, decimalPoint, lower, lower is 'e' or 'g' ? digitCount : precision, alternate, addDotZero, upper);
        return negative;
    }

    // A port of CPython's format_float_short (Python/pystrtod.c) after the digits are known.
    private static void Layout(StringBuilder builder, string digits, int decimalPoint, char type, int precision, bool alternate, bool addDotZero, bool upper)
    {
        var digitsLength = digits.Length;
        var useExponent = false;
        var virtualEnd = digitsLength;
        switch (type)
        {
            case 'e':
                useExponent = true;
                virtualEnd = precision;
                break;
            case 'f':
                virtualEnd = decimalPoint + precision;
                break;
            case 'g':
                if (decimalPoint <= -4 || decimalPoint > (addDotZero ? precision - 1 : precision))
                {
                    useExponent = true;
                }

                if (alternate)
                {
                    virtualEnd = precision;
                }

                break;
            default:
                if (decimalPoint <= -4 || decimalPoint > 16)
                {
                    useExponent = true;
                }

                break;
        }

        var exponent = 0;
        if (useExponent)
        {
            exponent = decimalPoint - 1;
            decimalPoint = 1;
        }

        var virtualStart = decimalPoint <= 0 ? decimalPoint - 1 : 0;
        virtualEnd = !useExponent && addDotZero ? Math.Max(virtualEnd, decimalPoint + 1) : Math.Max(virtualEnd, decimalPoint);

        if (decimalPoint <= 0)
        {
            builder.Append('0', decimalPoint - virtualStart).Append('.').Append('0', -decimalPoint);
        }

        if (decimalPoint > 0 && decimalPoint <= digitsLength)
        {
            builder.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digitsLength - decimalPoint);
        }
        else
        {
            builder.Append(digits);
        }

        if (digitsLength < decimalPoint)
        {
            builder.Append('0', decimalPoint - digitsLength).Append('.').Append('0', virtualEnd - decimalPoint);
        }
        else
        {
            builder.Append('0', virtualEnd - digitsLength);
        }

        if (builder[^1] == '.' && !alternate)
        {
            builder.Length--;
        }

        if (useExponent)
        {
            builder.Append(upper ? 'E' : 'e').Append(exponent < 0 ? '-' : '+');
            var magnitude = Math.Abs(exponent);
            if (magnitude < 10)
            {
                builder.Append('0');
            }

            builder.Append(magnitude.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Significant digits of a finite non-negative value without leading or trailing zeros ("0" for zero),
    /// and the decimal point position: value = 0.DIGITS × 10^decimalPoint.
    /// </summary>
    private static string Digits(double value, char mode, int count, out int decimalPoint)
    {
        var format = mode switch
        {
            'e' => count - 1 < ExponentFormats.Length ? ExponentFormats[count - 1] : "E" + (count - 1).ToString(CultureInfo.InvariantCulture),
            'f' => count < FixedFormats.Length ? FixedFormats[count] : "F" + count.ToString(CultureInfo.InvariantCulture),
            _ => "R",
        };
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        Span<char> stackBuffer = stackalloc char[Math.Min(text.Length, 256)];
        var buffer = text.Length <= 256 ? stackBuffer : new char[text.Length];
        var length = 0;
        var integerDigits = 0;
        var seenPoint = false;
        var exponent = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                buffer[length++] = c;
                if (!seenPoint)
                {
                    integerDigits++;
                }
            }
            else if (c == '.')
            {
                seenPoint = true;
            }
            else if (c is 'E' or 'e')
            {
                exponent = int.Parse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
        }

        decimalPoint = integerDigits + exponent;
        var first = 0;
        while (first < length && buffer[first] == '0')
        {
            first++;
            decimalPoint--;
        }

        var end = length;
        while (end > first && buffer[end - 1] == '0')
        {
            end--;
        }

        if (first == end)
        {
            decimalPoint = 1;
            return "0";
        }

        return new string(buffer[first..end]);
    }
}
