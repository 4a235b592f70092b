using System.Globalization;
using System.Numerics;

namespace Hub.PluginHost.Options;

/// <summary>
/// Converts parsed INI values to the type of an option property (mqttwarn-compat §3.3): bool
/// (<c>True</c>, 0/1, yes/no/on/off…), int and long, double, text, <see cref="TimeSpan"/> (seconds),
/// enums (member names, case and <c>_</c> ignored), lists (a list literal, or comma-separated text),
/// and the raw value for <see cref="object"/> or dictionary properties. Throws <see cref="FormatException"/>
/// with a message that completes "KEY: …".
/// </summary>
public static class OptionConverter
{
    public static object? Convert(object? value, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return ToText(value);
        }

        if (underlying == typeof(bool))
        {
            return ToBool(value);
        }

        if (underlying == typeof(int))
        {
            return ToInteger(value) is var l && l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Expected("an integer from -2147483648 to 2147483647", value);
        }

        if (underlying == typeof(long))
        {
            return ToInteger(value);
        }

        if (underlying == typeof(double))
        {
            return ToDouble(value);
        }

        if (underlying == typeof(TimeSpan))
        {
            var seconds = ToDouble(value);
            return seconds is >= 0 and <= 1e9 ? TimeSpan.FromSeconds(seconds) : throw Expected("a number of seconds, at least 0", value);
        }

        if (underlying.IsEnum)
        {
            return ToEnum(value, underlying);
        }

        if (ElementTypeOfList(underlying) is { } element)
        {
            return ToList(value, underlying, element);
        }

        if (underlying == typeof(object) || underlying.IsInstanceOfType(value))
        {
            return value;
        }

        throw new FormatException($"must be {Describe(underlying)}, not {Show(value)}");
    }

    /// <summary>True for the property types <see cref="Convert"/> handles.</summary>
    public static bool IsSupported(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(long) || t == typeof(double)
            || t == typeof(TimeSpan) || t.IsEnum || t == typeof(object)
            || t == typeof(IReadOnlyDictionary<string, object?>)
            || (ElementTypeOfList(t) is { } e && e != typeof(object) && IsSupported(e));
    }

    /// <summary>The expected value in words, for messages and <c>hub plugins</c>.</summary>
    public static string Describe(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(t).Select(OptionNames.SnakeCase));
        }

        if (ElementTypeOfList(t) is { } element)
        {
            return $"list of {Describe(element)}";
        }

        return t == typeof(string) ? "text"
            : t == typeof(bool) ? "bool"
            : t == typeof(int) || t == typeof(long) ? "int"
            : t == typeof(double) ? "number"
            : t == typeof(TimeSpan) ? "seconds"
            : t == typeof(IReadOnlyDictionary<string, object?>) ? "dict"
            : "value";
    }

    private static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        long or BigInteger => System.Convert.ToString(value, CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw Expected("text", value),
    };

    private static bool ToBool(object? value) => value switch
    {
        bool b => b,
        long l when l is 0 or 1 => l == 1,
        string s when s.Trim().ToLowerInvariant() is "true" or "yes" or "on" or "y" or "t" or "1" => true,
        string s when s.Trim().ToLowerInvariant() is "false" or "no" or "off" or "n" or "f" or "0" => false,
        _ => throw Expected("a boolean (True or False)", value),
    };

    private static long ToInteger(object? value) => value switch
    {
        long l => l,
        string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw Expected("an integer", value),
    };

    private static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        BigInteger b => (double)b,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Expected("a number", value),
    };

    private static object ToEnum(object? value, Type type)
    {
        if (value is string s)
        {
            var wanted = OptionNames.Loose(s.Trim());
            foreach (var name in Enum.GetNames(type))
            {
                if (OptionNames.Loose(name) == wanted)
                {
                    return Enum.Parse(type, name);
                }
            }
        }

        throw Expected(Describe(type), value);
    }

    private static object ToList(object? value, Type listType, Type element)
    {
        IReadOnlyList<object?> items = value switch
        {
            IReadOnlyList<object?> list => list,
            string s => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            null => [],
            IReadOnlyDictionary<string, object?> => throw Expected($"a list of {Describe(element)}", value),
            _ => [value],
        };

        var array = Array.CreateInstance(element, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                array.SetValue(Convert(items[i], element), i);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"item {i + 1} {ex.Message}");
            }
        }

        if (listType.IsArray || listType.IsInterface)
        {
            return array; // T[] implements IReadOnlyList<T>, IList<T>, IEnumerable<T>
        }

        return Activator.CreateInstance(listType, array)!; // List<T>(IEnumerable<T>)
    }

    private static Type? ElementTypeOfList(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsGenericType || type == typeof(string))
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static FormatException Expected(string what, object? value) => new($"must be {what}, not {Show(value)}");

    private static string Show(object? value) => value switch
    {
        IReadOnlyList<object?> => "a list",
        IReadOnlyDictionary<string, object?> => "a dict",
        _ => OptionText.Format(value),
    };
}
