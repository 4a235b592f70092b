using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hub.Formatting;

/// <summary>Python's <c>str()</c>, <c>repr()</c> and <c>ascii()</c> written into a builder.</summary>
internal static class PyRepr
{
    private const string HexDigits = "0123456789abcdef";

    public static void AppendStr(StringBuilder builder, object? value)
    {
        switch (DataValue.Normalize(value))
        {
            case string text:
                builder.Append(text);
                break;
            case var other:
                AppendRepr(builder, other, asciiOnly: false);
                break;
        }
    }

    public static void AppendRepr(StringBuilder builder, object? value, bool asciiOnly)
    {
        switch (DataValue.Normalize(value))
        {
            case null:
                builder.Append("None");
                break;
            case string text:
                AppendTextRepr(builder, text, asciiOnly);
                break;
            case bool flag:
                builder.Append(flag ? "True" : "False");
                break;
            case long number:
                builder.Append(CultureInfo.InvariantCulture, $"{number}"); // written into the builder: no string per number
                break;
            case BigInteger big:
                builder.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case double real:
                FloatText.AppendRepr(builder, real);
                break;
            case byte[] bytes:
                AppendBytesRepr(builder, bytes);
                break;
            case IReadOnlyDictionary<string, object?> map:
                AppendDictRepr(builder, map, asciiOnly);
                break;
            case IReadOnlyList<object?> list:
                AppendListRepr(builder, list, asciiOnly);
                break;
            case var other:
                builder.Append(other.ToString());
                break;
        }
    }

    private static void AppendListRepr(StringBuilder builder, IReadOnlyList<object?> list, bool asciiOnly)
    {
        builder.Append('[');
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            AppendRepr(builder, list[i], asciiOnly);
        }

        builder.Append(']');
    }

    private static void AppendDictRepr(StringBuilder builder, IReadOnlyDictionary<string, object?> map, bool asciiOnly)
    {
        builder.Append('{');
        var first = true;
        foreach (var (key, item) in map)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            AppendTextRepr(builder, key, asciiOnly);
            builder.Append(": ");
            AppendRepr(builder, item, asciiOnly);
        }

        builder.Append('}');
    }

    /// <summary>CPython's <c>unicode_repr</c> (and <c>ascii()</c> when <paramref name="asciiOnly"/>).</summary>
    public static void AppendTextRepr(StringBuilder builder, string text, bool asciiOnly)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        builder.Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            switch (codePoint)
            {
                case '\\':
                    builder.Append(@"\\");
                    continue;
                case '\t':
                    builder.Append(@"\t");
                    continue;
                case '\n':
                    builder.Append(@"\n");
                    continue;
                case '\r':
                    builder.Append(@"\r");
                    continue;
            }

            if (codePoint == quote)
            {
                builder.Append('\\').Append(quote);
            }
            else if (codePoint < ' ' || codePoint == 0x7F)
            {
                AppendHexEscape(builder, 'x', codePoint, 2);
            }
            else if (codePoint < 0x7F || (!asciiOnly && PyUnicode.IsPrintable(codePoint)))
            {
                AppendCodePoint(builder, codePoint);
            }
            else if (codePoint <= 0xFF)
            {
                AppendHexEscape(builder, 'x', codePoint, 2);
            }
            else if (codePoint <= 0xFFFF)
            {
                AppendHexEscape(builder, 'u', codePoint, 4);
            }
            else
            {
                AppendHexEscape(builder, 'U', codePoint, 8);
            }
        }

        builder.Append(quote);
    }

    /// <summary>CPython's <c>bytes_repr</c>.</summary>
    public static void AppendBytesRepr(StringBuilder builder, byte[] bytes)
    {
        var quote = bytes.Contains((byte)'\'') && !bytes.Contains((byte)'"') ? '"' : '\'';
        builder.Append('b').Append(quote);
        foreach (var b in bytes)
        {
            if (b == quote || b == '\\')
            {
                builder.Append('\\').Append((char)b);
            }
            else if (b == '\t')
            {
                builder.Append(@"\t");
            }
            else if (b == '\n')
            {
                builder.Append(@"\n");
            }
            else if (b == '\r')
            {
                builder.Append(@"\r");
            }
            else if (b < 0x20 || b >= 0x7F)
            {
                AppendHexEscape(builder, 'x', b, 2);
            }
            else
            {
                builder.Append((char)b);
            }
        }

        builder.Append(quote);
    }

    private static void AppendCodePoint(StringBuilder builder, int codePoint)
    {
        if (codePoint > 0xFFFF)
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }
        else
        {
            builder.Append((char)codePoint);
        }
    }

    private static void AppendHexEscape(StringBuilder builder, char kind, int value, int width)
    {
        builder.Append('\\').Append(kind);
        for (var shift = (width - 1) * 4; shift >= 0; shift -= 4)
        {
            builder.Append(HexDigits[(value >> shift) & 0xF]);
        }
    }
}
