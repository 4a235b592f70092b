using System.Text;

namespace Hub.Formatting;

/// <summary>
/// Lays out a number with sign, prefix, grouping, padding and alignment, as CPython's
/// <c>calc_number_widths</c>, <c>fill_number</c> and <c>_PyUnicode_InsertThousandsGrouping</c> do.
/// </summary>
internal static class NumberLayout
{
    /// <param name="builder">Receives the result.</param>
    /// <param name="negative">Whether the number is negative.</param>
    /// <param name="prefix">The <c>0x</c>-style prefix, or empty.</param>
    /// <param name="digits">The integer digits (grouped and zero-padded), possibly empty.</param>
    /// <param name="hasDecimalPoint">Whether a decimal point follows the digits.</param>
    /// <param name="remainder">Text after the point (fraction, exponent, <c>%</c>) or the whole of <c>inf</c>/<c>nan</c>/a <c>c</c> character.</param>
    /// <param name="spec">The spec; <paramref name="align"/> and <paramref name="fill"/> are its values after type defaults.</param>
    public static void Append(
        StringBuilder builder, bool negative, string prefix, ReadOnlySpan<char> digits, bool hasDecimalPoint,
        ReadOnlySpan<char> remainder, FormatSpec spec, char align, string fill, int groupSize)
    {
        var signChar = negative ? '-' : spec.Sign switch
        {
            '+' => '+',
            ' ' => ' ',
            _ => '\0',
        };
        var signWidth = signChar == '\0' ? 0 : 1;
        var nonDigitWidth = signWidth + prefix.Length + (hasDecimalPoint ? 1 : 0) + PyUnicode.CodePointCount(remainder);
        var minimumDigitsWidth = fill == "0" && align == '=' ? spec.Width - nonDigitWidth : 0;
        var separator = spec.Grouping;

        Span<char> stackBuffer = stackalloc char[128];
        var capacity = (digits.Length * 2) + (2 * Math.Max(0, minimumDigitsWidth)) + 2;
        var buffer = capacity <= stackBuffer.Length ? stackBuffer : new char[capacity];
        var grouped = digits.Length == 0 ? [] : Group(buffer[..capacity], digits, minimumDigitsWidth, separator, groupSize);

        var padding = spec.Width - (nonDigitWidth + grouped.Length);
        int left = 0, inner = 0, right = 0;
        if (padding > 0)
        {
            switch (align)
            {
                case '<':
                    right = padding;
                    break;
                case '^':
                    left = padding / 2;
                    right = padding - left;
                    break;
                case '=':
                    inner = padding;
                    break;
                default:
                    left = padding;
                    break;
            }
        }

        AppendFill(builder, fill, left);
        if (signChar != '\0')
        {
            builder.Append(signChar);
        }

        builder.Append(prefix);
        AppendFill(builder, fill, inner);
        builder.Append(grouped);
        if (hasDecimalPoint)
        {
            builder.Append('.');
        }

        builder.Append(remainder);
        AppendFill(builder, fill, right);
    }

    public static void AppendFill(StringBuilder builder, string fill, int count)
    {
        if (count <= 0)
        {
            return;
        }

        if (fill.Length == 1)
        {
            builder.Append(fill[0], count);
        }
        else
        {
            builder.Insert(builder.Length, fill, count);
        }
    }

    // Written right to left into the end of the buffer, as CPython does; returns the used tail.
    private static ReadOnlySpan<char> Group(Span<char> buffer, ReadOnlySpan<char> digits, int minimumWidth, char separator, int groupSize)
    {
        minimumWidth = Math.Max(0, minimumWidth);
        var write = buffer.Length;
        var remaining = digits.Length;
        if (separator == '\0')
        {
            var length = Math.Max(remaining, minimumWidth);
            write -= remaining;
            digits.CopyTo(buffer[write..]);
            for (var i = 0; i < length - remaining; i++)
            {
                buffer[--write] = '0';
            }

            return buffer[write..];
        }

        var useSeparator = false;
        while (true)
        {
            var length = Math.Min(groupSize, Math.Max(Math.Max(remaining, minimumWidth), 1));
            var zeros = Math.Max(0, length - remaining);
            var chars = Math.Max(0, Math.Min(remaining, length));
            if (useSeparator)
            {
                buffer[--write] = separator;
            }

            write -= chars;
            digits.Slice(remaining - chars, chars).CopyTo(buffer[write..]);
            remaining -= chars;
            for (var i = 0; i < zeros; i++)
            {
                buffer[--write] = '0';
            }

            useSeparator = true;
            minimumWidth -= length;
            if (remaining <= 0 && minimumWidth <= 0)
            {
                return buffer[write..];
            }

            minimumWidth -= 1;
        }
    }
}
