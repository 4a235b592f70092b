namespace Hub.Plugins;

/// <summary>
/// Formats Python <c>str.format</c> strings (the syntax of <c>format =</c> in <c>hub.ini</c>) with
/// transformation data, e.g. a file path such as <c>/var/log/{device}.log</c>.
/// </summary>
public interface IDataFormatter
{
    /// <summary>Formats <paramref name="format"/> with <paramref name="data"/>.</summary>
    /// <exception cref="FormatException">The format string is invalid or names a missing key.</exception>
    string Format(string format, IReadOnlyDictionary<string, object?> data);
}
