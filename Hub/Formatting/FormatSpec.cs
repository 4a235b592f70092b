using System.Globalization;

namespace Hub.Formatting;

/// <summary>
/// A parsed Python format spec: <c>[[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]</c>
/// (CPython's <c>parse_internal_render_format_spec</c>). Type-dependent defaults are applied when formatting.
/// </summary>
internal sealed class FormatSpec
{
    /// <summary>Widths and precisions beyond this are refused rather than allocated.</summary>
    public const int MaxWidthOrPrecision = 1_000_000;

    private FormatSpec(string text) => Text = text;

    public string Text { get; }

    /// <summary>The fill character (one code point, so one or two UTF-16 units), or null when not given.</summary>
    public string? Fill { get; private init; }

    /// <summary><c>&lt; &gt; ^ =</c>, or <c>\0</c> when not given.</summary>
    public char Align { get; private init; }

    /// <summary><c>+ - space</c>, or <c>\0</c> when not given.</summary>
    public char Sign { get; private init; }

    public bool NoNegativeZero { get; private init; }

    public bool Alternate { get; private init; }

    /// <summary>The <c>0</c> before the width (only honoured when no fill was given).</summary>
    public bool ZeroPadding { get; private init; }

    /// <summary>The minimum width in code points, or -1.</summary>
    public int Width { get; private init; } = -1;

    /// <summary><c>,</c> or <c>_</c>, or <c>\0</c>.</summary>
    public char Grouping { get; private init; }

    /// <summary>The precision, or -1.</summary>
    public int Precision { get; private init; } = -1;

    /// <summary>The presentation type, or <c>\0</c>.</summary>
    public char Type { get; private init; }

    /// <exception cref="FormatException">The spec is malformed.</exception>
    public static FormatSpec Parse(string spec)
    {
        var position = 0;
        string? fill = null;
        var align = '\0';
        var fillLength = spec.Length > 1 && char.IsHighSurrogate(spec[0]) && char.IsLowSurrogate(spec[1]) ? 2 : 1;
        if (spec.Length > fillLength && IsAlign(spec[fillLength]))
        {
            fill = spec[..fillLength];
            align = spec[fillLength];
            position = fillLength + 1;
        }
        else if (spec.Length > 0 && IsAlign(spec[0]))
        {
            align = spec[0];
            position = 1;
        }

        var sign = '\0';
        if (position < spec.Length && spec[position] is '+' or '-' or ' ')
        {
            sign = spec[position++];
        }

        var noNegativeZero = Consume(spec, ref position, 'z');
        var alternate = Consume(spec, ref position, '#');
        var zeroPadding = fill is null && Consume(spec, ref position, '0');
        var width = ReadInteger(spec, ref position, out var widthGiven);
        var grouping = '\0';
        if (Consume(spec, ref position, ','))
        {
            grouping = ',';
        }

        if (position < spec.Length && spec[position] == '_')
        {
            if (grouping != '\0')
            {
                throw new FormatException("Cannot specify both ',' and '_'.");
            }

            grouping = '_';
            position++;
        }

        if (position < spec.Length && spec[position] == ',' && grouping == '_')
        {
            throw new FormatException("Cannot specify both ',' and '_'.");
        }

        var precision = -1;
        if (Consume(spec, ref position, '.'))
        {
            precision = ReadInteger(spec, ref position, out var precisionGiven);
            if (!precisionGiven)
            {
                throw new FormatException("Format specifier missing precision");
            }
        }

        if (spec.Length - position > 1)
        {
            throw new FormatException($"Invalid format specifier '{spec}'");
        }

        return new FormatSpec(spec)
        {
            Fill = fill,
            Align = align,
            Sign = sign,
            NoNegativeZero = noNegativeZero,
            Alternate = alternate,
            ZeroPadding = zeroPadding,
            Width = widthGiven ? width : -1,
            Grouping = grouping,
            Precision = precision,
            Type = position < spec.Length ? spec[position] : '\0',
        };
    }

    /// <summary>The alignment after type defaults: <c>0</c> padding turns the numeric default into <c>=</c>.</summary>
    public char AlignOr(char defaultAlign) =>
        Align != '\0' ? Align : ZeroPadding && defaultAlign == '>' ? '=' : defaultAlign;

    public string FillOrDefault => Fill ?? (ZeroPadding ? "0" : " ");

    /// <summary>CPython's check of grouping against the (defaulted) presentation type.</summary>
    public void ValidateGrouping(char type)
    {
        if (Grouping == '\0')
        {
            return;
        }

        var allowed = type switch
        {
            'd' or 'e' or 'f' or 'g' or 'E' or 'G' or '%' or 'F' or '\0' => true,
            'b' or 'o' or 'x' or 'X' => Grouping == '_',
            _ => false,
        };
        if (!allowed)
        {
            throw new FormatException($"Cannot specify '{Grouping}' with {Describe(type)}.");
        }
    }

    public static string Describe(char type) => type is > ' ' and < (char)128
        ? $"'{type}'"
        : $"'\\x{(int)type:x}'";

    private static bool IsAlign(char c) => c is '<' or '>' or '^' or '=';

    private static bool Consume(string spec, ref int position, char expected)
    {
        if (position < spec.Length && spec[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    private static int ReadInteger(string spec, ref int position, out bool given)
    {
        long value = 0;
        given = false;
        while (position < spec.Length && char.IsDigit(spec[position]))
        {
            value = value * 10 + CharUnicodeInfo.GetDecimalDigitValue(spec[position]);
            if (value > MaxWidthOrPrecision)
            {
                throw new FormatException($"Width or precision too big in format specifier '{spec}' (at most {MaxWidthOrPrecision})");
            }

            given = true;
            position++;
        }

        return (int)value;
    }
}
