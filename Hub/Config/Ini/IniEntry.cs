namespace Hub.Config.Ini;

/// <summary>
/// One <c>key = value</c> of an INI section. <see cref="Value"/> joins the continuation lines with
/// <c>\n</c>; <see cref="ValueLines"/> gives the file line of each of those value lines.
/// </summary>
internal sealed record IniEntry(string Key, string Value, int Line, IReadOnlyList<int> ValueLines)
{
    /// <summary>The file line holding the character at <paramref name="index"/> of <see cref="Value"/> (best effort).</summary>
    public int LineAt(int index)
    {
        var lineIndex = 0;
        for (var i = 0; i < index && i < Value.Length; i++)
        {
            if (Value[i] == '\n')
            {
                lineIndex++;
            }
        }

        return ValueLines.Count == 0 ? Line : ValueLines[Math.Min(lineIndex, ValueLines.Count - 1)];
    }
}
