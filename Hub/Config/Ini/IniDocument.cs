namespace Hub.Config.Ini;

/// <summary>An INI file as read: sections in file order, plus the Python-style <c>[DEFAULT]</c> fallbacks.</summary>
internal sealed class IniDocument
{
    public List<IniSection> Sections { get; } = [];

    /// <summary>The <c>[DEFAULT]</c> section (its keys are fallbacks for every section), if present.</summary>
    public IniSection? Defaults { get; set; }

    public IniSection? Find(string name) => Sections.Find(s => s.Name == name);
}
