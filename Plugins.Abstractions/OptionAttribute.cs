namespace Hub.Plugins;

/// <summary>
/// Describes one property of a plugin's options class. Optional: every public settable property is
/// an option even without it, under its name in snake_case (<c>AppendNewline</c> is <c>append_newline</c>).
/// </summary>
/// <example>
/// <code>
/// public sealed class HelloOptions
/// {
///     [Option(Description = "The word before each message")]
///     public string Greeting { get; set; } = "Hello";
///
///     [Option("to", Description = "The file to write to", Required = true)]
///     public string Path { get; set; } = "";
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class OptionAttribute : Attribute
{
    /// <summary>Keeps the key derived from the property name (snake_case).</summary>
    public OptionAttribute()
    {
    }

    /// <summary>Uses <paramref name="key"/> as the key in <c>[config:NAME]</c>.</summary>
    /// <param name="key">The INI key, lower case (INI keys are case-insensitive).</param>
    public OptionAttribute(string key) => Key = key;

    /// <summary>The INI key, or <see langword="null"/> for the property name in snake_case.</summary>
    public string? Key { get; }

    /// <summary>One line for <c>hub plugins</c> and the documentation.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// True when the key must be present in <c>[config:NAME]</c> (a C# <see langword="required"/>
    /// property is required too).
    /// </summary>
    public bool Required { get; init; }
}
