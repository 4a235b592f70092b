using System.Reflection;

namespace Hub.PluginHost.Options;

/// <summary>One option of an options class: its INI key, property, default, and the words for <c>hub plugins</c>.</summary>
public sealed record OptionDefinition(string Key, PropertyInfo Property, string? Description, bool Required, object? DefaultValue)
{
    public Type Type => Property.PropertyType;

    /// <summary>The expected value in words: <c>bool</c>, <c>int</c>, <c>seconds</c>, <c>one of a, b</c>.</summary>
    public string TypeName => OptionConverter.Describe(Type);

    /// <summary>The default as it would be written in <c>hub.ini</c> (<c>True</c>, <c>'text'</c>, <c>10</c>, <c>None</c>).</summary>
    public string DefaultText => Required ? "(required)" : OptionText.Format(DefaultValue);
}
