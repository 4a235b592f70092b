using System.Globalization;
using System.Numerics;

namespace Hub.Plugins.Common;

/// <summary>
/// Typed reading of option and descriptor values (mqttwarn-compat §3.3): booleans accept
/// True/False, 0/1 and true/yes/on/y/t / false/no/off/n/f; integers accept integer literals and
/// integer text. Each method throws <see cref="FormatException"/> with a message naming the option.
/// </summary>
public static class OptionValues
{
    public static bool ToBool(object? value, string name) => value switch
    {
        bool b => b,
        long l when l is 0 or 1 => l == 1,
        string s when s.Trim().ToLowerInvariant() is "true" or "yes" or "on" or "y" or "t" or "1" => true,
        string s when s.Trim().ToLowerInvariant() is "false" or "no" or "off" or "n" or "f" or "0" => false,
        _ => throw new FormatException($"{name} must be a boolean (True or False), not {Describe(value)}"),
    };

    public static int ToInt(object? value, string name) => value switch
    {
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        bool b => b ? 1 : 0,
        string s when int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
        _ => throw new FormatException($"{name} must be an integer, not {Describe(value)}"),
    };

    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        long or BigInteger => Convert.ToString(value, CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static bool GetBool(IReadOnlyDictionary<string, object?> options, string name, bool fallback) =>
        options.TryGetValue(name, out var value) && value is not null ? ToBool(value, name) : fallback;

    public static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        IReadOnlyList<object?> => "a list",
        IReadOnlyDictionary<string, object?> => "a dict",
        _ => ToText(value) ?? "",
    };
}
