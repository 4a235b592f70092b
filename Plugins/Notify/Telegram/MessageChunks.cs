namespace Hub.Plugins.Notify;

/// <summary>Splits text into pieces of at most a given length, at the last line break that fits when there is one.</summary>
public static class MessageChunks
{
    public static IReadOnlyList<string> Split(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        var chunks = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > limit)
        {
            var window = rest[..limit];
            var breakAt = window.LastIndexOf('\n');
            int take, skip;
            if (breakAt > 0)
            {
                (take, skip) = (breakAt, 1);    // the line break itself is not sent
            }
            else
            {
                take = char.IsHighSurrogate(window[^1]) ? limit - 1 : limit;    // never split a surrogate pair
                skip = 0;
            }

            chunks.Add(rest[..take].ToString());
            rest = rest[(take + skip)..];
        }

        if (rest.Length > 0 || chunks.Count == 0)
        {
            chunks.Add(rest.ToString());
        }

        return chunks;
    }
}
