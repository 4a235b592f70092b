using Hub.Plugins;

namespace Hub.Formatting;

/// <summary>Python <c>str.format</c> with transformation data as keyword arguments (mqttwarn-compat §7).</summary>
public sealed class PyFormatter : IDataFormatter
{
    public static readonly PyFormatter Instance = new();

    /// <inheritdoc />
    public string Format(string format, IReadOnlyDictionary<string, object?> data) => throw new NotImplementedException();
}
