using System.Globalization;
using System.Text;

namespace Hub.Config.Values;

/// <summary>One Python string literal: optional <c>r</c>/<c>u</c> prefix, any quote kind, escapes.</summary>
internal static class PythonStringScanner
{
    public static void Scan(string text, ref int position, StringBuilder output)
    {
        var raw = false;
        while (position < text.Length && char.IsLetter(text[position]))
        {
            // Only r and u (one of them) are in the subset; b, f and combinations are not.
            var prefix = char.ToLowerInvariant(text[position]);
            if (prefix is not ('r' or 'u') || raw)
            {
                throw new NotALiteralException();
            }

            raw = prefix == 'r';
            position++;
            if (prefix == 'u' && position < text.Length && char.IsLetter(text[position]))
            {
                throw new NotALiteralException();
            }
        }

        if (position >= text.Length || text[position] is not ('\'' or '"'))
        {
            throw new NotALiteralException();
        }

        var quote = text[position];
        var triple = position + 2 < text.Length && text[position + 1] == quote && text[position + 2] == quote;
        position += triple ? 3 : 1;
        ScanBody(text, ref position, output, quote, triple, raw);
    }

    private static void ScanBody(string text, ref int position, StringBuilder output, char quote, bool triple, bool raw)
    {
        while (true)
        {
            if (position >= text.Length)
            {
                throw new NotALiteralException();
            }

            var c = text[position];
            if (c == quote && (!triple || (position + 2 < text.Length && text[position + 1] == quote && text[position + 2] == quote)))
            {
                position += triple ? 3 : 1;
                return;
            }

            if (c == '\n' && !triple)
            {
                throw new NotALiteralException();
            }

            if (c != '\\')
            {
                output.Append(c);
                position++;
            }
            else if (position + 1 >= text.Length)
            {
                throw new NotALiteralException();
            }
            else if (raw)
            {
                // A raw string keeps the backslash, but it still stops the next quote from ending the string.
                output.Append(c).Append(text[position + 1]);
                position += 2;
            }
            else
            {
                position++;
                AppendEscape(text, ref position, output);
            }
        }
    }

    /// <summary>Reads the escape after a backslash (<paramref name="position"/> is on the character after it).</summary>
    private static void AppendEscape(string text, ref int position, StringBuilder output)
    {
        var e = text[position++];
        switch (e)
        {
            case '\n': break;
            case '\\' or '\'' or '"': output.Append(e); break;
            case 'n': output.Append('\n'); break;
            case 'r': output.Append('\r'); break;
            case 't': output.Append('\t'); break;
            case 'a': output.Append('\a'); break;
            case 'b': output.Append('\b'); break;
            case 'f': output.Append('\f'); break;
            case 'v': output.Append('\v'); break;
            case >= '0' and <= '7':
                var octal = e - '0';
                for (var i = 0; i < 2 && position < text.Length && text[position] is >= '0' and <= '7'; i++)
                {
                    octal = (octal * 8) + (text[position++] - '0');
                }

                output.Append((char)octal);
                break;
            case 'x': AppendCodePoint(output, ReadHex(text, ref position, 2)); break;
            case 'u': AppendCodePoint(output, ReadHex(text, ref position, 4)); break;
            case 'U': AppendCodePoint(output, ReadHex(text, ref position, 8)); break;
            case 'N': throw new NotALiteralException();
            default:
                // Unknown escapes keep their backslash ('\d' is \d); the character is read normally.
                output.Append('\\');
                position--;
                break;
        }
    }

    private static int ReadHex(string text, ref int position, int digits)
    {
        if (position + digits > text.Length
            || !int.TryParse(text.AsSpan(position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            || value is < 0 or > 0x10FFFF)
        {
            throw new NotALiteralException();
        }

        position += digits;
        return value;
    }

    private static void AppendCodePoint(StringBuilder output, int codePoint)
    {
        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            output.Append((char)codePoint);
        }
        else
        {
            output.Append(char.ConvertFromUtf32(codePoint));
        }
    }
}
