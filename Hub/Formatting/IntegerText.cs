using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hub.Formatting;

/// <summary>Digits of integer magnitudes in Python's bases, and Python's int-to-float conversion.</summary>
internal static class IntegerText
{
    /// <summary>The digits of |<paramref name="number"/>| for a presentation type (<c>b o x X</c>, else decimal).</summary>
    public static string Digits(long number, char type)
    {
        var magnitude = number < 0 ? (ulong)(-(number + 1)) + 1 : (ulong)number;
        return type switch
        {
            'b' => Convert.ToString((long)magnitude, 2),
            'o' => Convert.ToString((long)magnitude, 8),
            'x' => magnitude.ToString("x", CultureInfo.InvariantCulture),
            'X' => magnitude.ToString("X", CultureInfo.InvariantCulture),
            _ => magnitude.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The digits of a non-negative <paramref name="magnitude"/> for a presentation type.</summary>
    public static string Digits(BigInteger magnitude, char type)
    {
        switch (type)
        {
            case 'x':
            case 'X':
                var hex = magnitude.ToString(type == 'x' ? "x" : "X", CultureInfo.InvariantCulture).TrimStart('0');
                return hex.Length == 0 ? "0" : hex;
            case 'b':
            case 'o':
                return PowerOfTwoDigits(magnitude, type == 'b' ? 1 : 3);
            default:
                return magnitude.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Python's <c>float(int)</c>: correctly rounded; too large → error.</summary>
    public static double ToDouble(BigInteger value)
    {
        var result = double.Parse(value.ToString(CultureInfo.InvariantCulture), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return double.IsInfinity(result) ? throw new FormatException("int too large to convert to float") : result;
    }

    private static string PowerOfTwoDigits(BigInteger magnitude, int bitsPerDigit)
    {
        if (magnitude.IsZero)
        {
            return "0";
        }

        var bitLength = (int)magnitude.GetBitLength();
        var digitCount = (bitLength + bitsPerDigit - 1) / bitsPerDigit;
        var bytes = magnitude.ToByteArray(isUnsigned: true, isBigEndian: false);
        var builder = new StringBuilder(digitCount);
        for (var digit = digitCount - 1; digit >= 0; digit--)
        {
            var value = 0;
            for (var bit = bitsPerDigit - 1; bit >= 0; bit--)
            {
                var index = (digit * bitsPerDigit) + bit;
                var set = index < bitLength && ((bytes[index >> 3] >> (index & 7)) & 1) == 1;
                value = (value << 1) | (set ? 1 : 0);
            }

            builder.Append((char)('0' + value));
        }

        return builder.ToString();
    }
}
