using System.Globalization;
using System.Text;

namespace Hub.Formatting;

/// <summary>
/// Decodes a raw (still escaped) JSON string token the way Python's <c>json</c> does, including lone
/// surrogate escapes such as <c>"\ud83d"</c> that <see cref="System.Text.Json.Utf8JsonReader"/> refuses.
/// </summary>
internal static class JsonStringDecoder
{
    /// <param name="raw">The token between the quotes, already validated by the reader.</param>
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            var escape = text[++i];
            switch (escape)
            {
                case 'b':
                    builder.Append('\b');
                    break;
                case 'f':
                    builder.Append('\f');
                    break;
                case 'n':
                    builder.Append('\n');
                    break;
                case 'r':
                    builder.Append('\r');
                    break;
                case 't':
                    builder.Append('\t');
                    break;
                case 'u':
                    builder.Append((char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default:
                    builder.Append(escape);
                    break;
            }
        }

        return builder.ToString();
    }
}
