using System.Globalization;

namespace Hub.Formatting;

/// <summary>Unicode questions Python answers differently from .NET: printability and code point counts.</summary>
internal static class PyUnicode
{
    /// <summary>Python 3.11's <c>str.isprintable</c> for one code point.</summary>
    public static bool IsPrintable(int codePoint)
    {
        if (codePoint == ' ')
        {
            return true;
        }

        if (codePoint is >= 0xD800 and <= 0xDFFF || UnassignedInUnicode14.Contains(codePoint))
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>The length in code points (a surrogate pair counts once, a lone surrogate once).</summary>
    public static int CodePointCount(ReadOnlySpan<char> text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>The UTF-16 length of the first <paramref name="codePoints"/> code points of <paramref name="text"/>.</summary>
    public static int Utf16LengthOf(ReadOnlySpan<char> text, int codePoints)
    {
        var index = 0;
        for (var taken = 0; taken < codePoints && index < text.Length; taken++)
        {
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        }

        return index;
    }
}
