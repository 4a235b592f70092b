using System.Text;

namespace Hub.Plugins.Notify;

/// <summary>Header and body encodings of RFC 2045 (quoted-printable) and RFC 2047 (encoded words).</summary>
public static class MailEncoding
{
    /// <summary>Header text on one line: control characters (CR, LF, TAB…) become spaces, so payload data can never add a header.</summary>
    public static string OneLine(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });

    /// <summary>
    /// An unstructured header value (Subject): ASCII as is, folded at spaces; otherwise UTF-8
    /// base64 encoded words of at most 75 characters, one per folded line, never splitting a character.
    /// </summary>
    public static string Unstructured(string text, int headerNameLength)
    {
        text = OneLine(text);
        if (IsPlainAscii(text) && !text.Contains("=?", StringComparison.Ordinal))
        {
            return FoldAscii(text, headerNameLength + 2);
        }

        return EncodedWords(text, headerNameLength + 2);
    }

    /// <summary>A display name: as is when it is plain ASCII without specials, quoted when it has specials, encoded otherwise.</summary>
    public static string Phrase(string text)
    {
        text = OneLine(text);
        if (!IsPlainAscii(text) || text.Contains("=?", StringComparison.Ordinal))
        {
            return EncodedWords(text, 0);
        }

        return text.Any(c => "()<>[]:;@\\,.\"".Contains(c)) ? "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : text;
    }

    public static bool IsPlainAscii(string text) => text.All(c => c is >= ' ' and <= '~');

    /// <summary>Quoted-printable (RFC 2045 §6.7) of UTF-8 text with CRLF line breaks and soft breaks at 76 characters.</summary>
    public static string QuotedPrintable(string text)
    {
        var output = new StringBuilder(text.Length * 3 / 2);
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var bytes = Encoding.UTF8.GetBytes(lines[l]);
            var column = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                var last = i == bytes.Length - 1;
                var literal = (b is >= 33 and <= 126 && b != '=') || (b is (byte)' ' or (byte)'\t' && !last);
                var token = literal ? ((char)b).ToString() : $"={b:X2}";
                if (column + token.Length > 75)
                {
                    output.Append("=\r\n");
                    column = 0;
                }

                output.Append(token);
                column += token.Length;
            }

            if (l < lines.Length - 1)
            {
                output.Append("\r\n");
            }
        }

        return output.ToString();
    }

    // RFC 2047 §2: lines with encoded words stay within 76 characters. "=?utf-8?b?" and "?=" take 12,
    // 4 base64 characters carry 3 bytes; the first line also holds "Subject: ", the others a space.
    private static string EncodedWords(string text, int firstLineUsed)
    {
        var maxBytes = (76 - firstLineUsed - 12) / 4 * 3;
        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (chunkBytes + rune.Utf8SequenceLength > maxBytes)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
                maxBytes = (76 - 1 - 12) / 4 * 3;
            }

            chunk.Append(rune.ToString());
            chunkBytes += rune.Utf8SequenceLength;
        }

        if (chunk.Length > 0 || words.Count == 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        return string.Join("\r\n ", words);

        static string Word(string part) => "=?utf-8?b?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(part)) + "?=";
    }

    private static string FoldAscii(string text, int used)
    {
        var output = new StringBuilder();
        var column = used;
        foreach (var word in text.Split(' '))
        {
            if (output.Length > 0)
            {
                if (column + 1 + word.Length > 78)
                {
                    output.Append("\r\n");
                    column = 0;
                }

                output.Append(' ');
                column++;
            }

            output.Append(word);
            column += word.Length;
        }

        return output.ToString();
    }
}
