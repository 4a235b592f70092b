using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hub.Formatting;

/// <summary>Python's <c>json.dumps</c> with default arguments (ensure_ascii, allow_nan, ", " and ": ").</summary>
internal static class PyJson
{
    private const string HexDigits = "0123456789abcdef";

    public static void Append(StringBuilder builder, object? value)
    {
        switch (DataValue.Normalize(value))
        {
            case null:
                builder.Append("null");
                break;
            case string text:
                AppendString(builder, text);
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case long number:
                builder.Append(number.ToString(CultureInfo.InvariantCulture));
                break;
            case BigInteger big:
                builder.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case double real:
                AppendFloat(builder, real);
                break;
            case IReadOnlyDictionary<string, object?> map:
                AppendObject(builder, map);
                break;
            case IReadOnlyList<object?> list:
                AppendArray(builder, list);
                break;
            case var other:
                throw new FormatException($"Object of type {DataValue.PythonTypeName(other)} is not JSON serializable");
        }
    }

    private static void AppendFloat(StringBuilder builder, double real)
    {
        if (double.IsNaN(real))
        {
            builder.Append("NaN");
        }
        else if (double.IsInfinity(real))
        {
            builder.Append(real > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            FloatText.AppendRepr(builder, real);
        }
    }

    private static void AppendArray(StringBuilder builder, IReadOnlyList<object?> list)
    {
        builder.Append('[');
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Append(builder, list[i]);
        }

        builder.Append(']');
    }

    private static void AppendObject(StringBuilder builder, IReadOnlyDictionary<string, object?> map)
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
            AppendString(builder, key);
            builder.Append(": ");
            Append(builder, item);
        }

        builder.Append('}');
    }

    /// <summary>CPython's <c>py_encode_basestring_ascii</c>: everything outside space..~ escaped, UTF-16 units as <c>\uXXXX</c>.</summary>
    public static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case '\b':
                    builder.Append(@"\b");
                    break;
                case '\f':
                    builder.Append(@"\f");
                    break;
                case >= ' ' and <= '~':
                    builder.Append(c);
                    break;
                default:
                    builder.Append(@"\u")
                        .Append(HexDigits[(c >> 12) & 0xF])
                        .Append(HexDigits[(c >> 8) & 0xF])
                        .Append(HexDigits[(c >> 4) & 0xF])
                        .Append(HexDigits[c & 0xF]);
                    break;
            }
        }

        builder.Append('"');
    }
}
