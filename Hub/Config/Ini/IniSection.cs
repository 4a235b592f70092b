namespace Hub.Config.Ini;

/// <summary>One <c>[name]</c> section with its keys in file order.</summary>
internal sealed class IniSection(string name, int line)
{
    private readonly List<IniEntry> entries = [];

    public string Name { get; } = name;

    public int Line { get; } = line;

    public IReadOnlyList<IniEntry> Entries => entries;

    public IniEntry? Find(string key) => entries.Find(e => e.Key == key);

    public void Add(IniEntry entry) => entries.Add(entry);

    public void Replace(IniEntry old, IniEntry replacement) => entries[entries.IndexOf(old)] = replacement;
}
