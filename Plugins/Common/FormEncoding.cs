using System.Text;

namespace Hub.Plugins.Common;

/// <summary>Python's <c>urllib.parse.urlencode</c>: <c>quote_plus</c> on UTF-8, so a space is <c>+</c> and only <c>A-Z a-z 0-9 _ . - ~</c> stay as they are.</summary>
public static class FormEncoding
{
    public static string Encode(IEnumerable<KeyValuePair<string, object?>> pairs) =>
        string.Join('&', pairs.Select(p => Quote(p.Key) + "=" + Quote(OptionValues.ToText(p.Value) ?? "None")));

    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_' or (byte)'.' or (byte)'-' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
