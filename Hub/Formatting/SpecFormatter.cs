using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hub.Formatting;

/// <summary>Python's <c>format(value, spec)</c> for the data model (mqttwarn-compat §7.3).</summary>
internal static class SpecFormatter
{
    /// <param name="spec">The parsed spec, or null for an empty spec.</param>
    public static void Append(StringBuilder builder, object? value, FormatSpec? spec)
    {
        value = DataValue.Normalize(value);
        if (spec is null)
        {
            PyRepr.AppendStr(builder, value);
            return;
        }

        switch (value)
        {
            case string text:
                AppendText(builder, text, spec);
                break;
            case bool flag:
                AppendInteger(builder, flag ? 1 : 0, BigInteger.Zero, isBig: false, spec, "bool");
                break;
            case long number:
                AppendInteger(builder, number, BigInteger.Zero, isBig: false, spec, "int");
                break;
            case BigInteger big:
                AppendInteger(builder, 0, big, isBig: true, spec, "int");
                break;
            case double real:
                AppendFloat(builder, real, spec, "float");
                break;
            default:
                throw new FormatException($"unsupported format string passed to {DataValue.PythonTypeName(value)}.__format__");
        }
    }

    private static void AppendText(StringBuilder builder, string text, FormatSpec spec)
    {
        var type = spec.Type == '\0' ? 's' : spec.Type;
        spec.ValidateGrouping(type);
        if (type != 's')
        {
            throw UnknownType(type, "str");
        }

        if (spec.Sign != '\0')
        {
            throw new FormatException(spec.Sign == ' '
                ? "Space not allowed in string format specifier"
                : "Sign not allowed in string format specifier");
        }

        if (spec.NoNegativeZero)
        {
            throw new FormatException("Negative zero coercion (z) not allowed in string format specifier");
        }

        if (spec.Alternate)
        {
            throw new FormatException("Alternate form (#) not allowed in string format specifier");
        }

        var align = spec.AlignOr('<');
        if (align == '=')
        {
            throw new FormatException("'=' alignment not allowed in string format specifier");
        }

        var span = text.AsSpan();
        var length = PyUnicode.CodePointCount(span);
        if (spec.Precision >= 0 && length > spec.Precision)
        {
            span = span[..PyUnicode.Utf16LengthOf(span, spec.Precision)];
            length = spec.Precision;
        }

        var padding = Math.Max(0, spec.Width - length);
        var left = align switch
        {
            '>' => padding,
            '^' => padding / 2,
            _ => 0,
        };
        var fill = spec.FillOrDefault;
        NumberLayout.AppendFill(builder, fill, left);
        builder.Append(span);
        NumberLayout.AppendFill(builder, fill, padding - left);
    }

    private static void AppendInteger(StringBuilder builder, long number, BigInteger big, bool isBig, FormatSpec spec, string typeName)
    {
        var type = spec.Type == '\0' ? 'd' : spec.Type;
        spec.ValidateGrouping(type);
        switch (type)
        {
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or '%':
                AppendFloat(builder, isBig ? IntegerText.ToDouble(big) : number, spec, typeName);
                return;
            case 'b' or 'c' or 'd' or 'o' or 'x' or 'X' or 'n':
                break;
            default:
                throw UnknownType(type, typeName);
        }

        if (spec.Precision != -1)
        {
            throw new FormatException("Precision not allowed in integer format specifier");
        }

        if (spec.NoNegativeZero)
        {
            throw new FormatException("Negative zero coercion (z) not allowed in integer format specifier");
        }

        var align = spec.AlignOr('>');
        var fill = spec.FillOrDefault;
        if (type == 'c')
        {
            AppendCharacter(builder, number, big, isBig, spec, align, fill);
            return;
        }

        var negative = isBig ? big.Sign < 0 : number < 0;
        var digits = isBig ? IntegerText.Digits(BigInteger.Abs(big), type) : IntegerText.Digits(number, type);
        var prefix = !spec.Alternate ? "" : type switch
        {
            'b' => "0b",
            'o' => "0o",
            'x' => "0x",
            'X' => "0X",
            _ => "",
        };
        var groupSize = type is 'b' or 'o' or 'x' or 'X' ? 4 : 3;
        NumberLayout.Append(builder, negative, prefix, digits, hasDecimalPoint: false, [], spec, align, fill, groupSize);
    }

    private static void AppendCharacter(StringBuilder builder, long number, BigInteger big, bool isBig, FormatSpec spec, char align, string fill)
    {
        if (spec.Sign != '\0')
        {
            throw new FormatException("Sign not allowed with integer format specifier 'c'");
        }

        if (spec.Alternate)
        {
            throw new FormatException("Alternate form (#) not allowed with integer format specifier 'c'");
        }

        var codePoint = isBig ? -1 : number;
        if (codePoint is < 0 or > 0x10FFFF)
        {
            throw new FormatException("%c arg not in range(0x110000)");
        }

        var character = codePoint is >= 0xD800 and <= 0xDFFF
            ? ((char)codePoint).ToString()
            : char.ConvertFromUtf32((int)codePoint);
        NumberLayout.Append(builder, negative: false, "", [], hasDecimalPoint: false, character, spec, align, fill, 3);
    }

    private static void AppendFloat(StringBuilder builder, double value, FormatSpec spec, string typeName)
    {
        var type = spec.Type;
        spec.ValidateGrouping(type);
        if (type is not ('\0' or 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or 'n' or '%'))
        {
            throw UnknownType(type, typeName);
        }

        var addDotZero = false;
        var precision = spec.Precision;
        var defaultPrecision = 6;
        if (type == '\0')
        {
            addDotZero = true;
            type = 'r';
            defaultPrecision = 0;
        }
        else if (type == 'n')
        {
            type = 'g';
        }

        var percent = false;
        if (type == '%')
        {
            type = 'f';
            value *= 100;
            percent = true;
        }

        if (precision < 0)
        {
            precision = defaultPrecision;
        }
        else if (type == 'r')
        {
            type = 'g';
        }

        var body = new StringBuilder(32);
        var negative = FloatText.AppendBody(body, value, type, precision, spec.Alternate, addDotZero, spec.NoNegativeZero);
        if (percent)
        {
            body.Append('%');
        }

        var text = body.ToString().AsSpan();
        var digitCount = 0;
        while (digitCount < text.Length && char.IsAsciiDigit(text[digitCount]))
        {
            digitCount++;
        }

        var hasDecimalPoint = digitCount < text.Length && text[digitCount] == '.';
        var remainder = text[(hasDecimalPoint ? digitCount + 1 : digitCount)..];
        NumberLayout.Append(builder, negative, "", text[..digitCount], hasDecimalPoint, remainder, spec, spec.AlignOr('>'), spec.FillOrDefault, 3);
    }

    private static FormatException UnknownType(char type, string typeName) => new(type is > ' ' and < (char)128
        ? $"Unknown format code '{type}' for object of type '{typeName}'"
        : $"Unknown format code '\\x{(int)type:x}' for object of type '{typeName}'");
}
