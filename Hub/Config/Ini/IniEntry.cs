namespace Hub.Config.Ini;

/// <summary>
/// One <c>key = value</c> of an INI section. <see cref="Value"/> joins the continuation lines with
/// <c>\n</c>; <see cref="ValueLines"/> gives the file line of each of those value lines.
/// </summary>
internal sealed record IniEntry(string Key, string Value, int Line, IReadOnlyList<int> ValueLines)
{
    /// <summary>The file line holding the character at <paramref name="index"/> of <see cref="Value"/> (best effort).</summary>
    public int LineAt(int index) => LineLookup()(index);

    /// <summary>
    /// <see cref="LineAt"/> for many indexes: one pass over the value, then a binary search each (a dict of
    /// 50,000 targets on one line took minutes when every key rescanned the value).
    /// </summary>
    public Func<int, int> LineLookup()
    {
        var breaks = new List<int>();
        for (var i = 0; i < Value.Length; i++)
        {
            if (Value[i] == '\n')
            {
                breaks.Add(i);
            }
        }

        return index =>
        {
            // The number of line breaks before index.
            var found = breaks.BinarySearch(index);
            var lineIndex = found >= 0 ? found : ~found;
            return ValueLines.Count == 0 ? Line : ValueLines[Math.Min(lineIndex, ValueLines.Count - 1)];
        };
    }
}
