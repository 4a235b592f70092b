using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>
/// A <c>mysql_remap</c> target, mqttwarn's <c>[table, {data key: column}, {column: constant}]</c>: the table (may hold
/// <c>{…}</c> templates), which data keys go to which columns, and constant columns (optional, may be <c>None</c>).
/// </summary>
public sealed record RemapTarget(string Table, IReadOnlyDictionary<string, string> Mapping, IReadOnlyDictionary<string, object?> Constants)
{
    /// <exception cref="FormatException">Not the list shape above.</exception>
    public static RemapTarget From(object? descriptor)
    {
        const string Shape = "the target must be ['table', {'data key': 'column', ...}, {'column': constant, ...}?]";
        var items = Descriptor.Items(descriptor);
        if (descriptor is not IReadOnlyList<object?> || items.Count is < 2 or > 3 || items[0] is not string { Length: > 0 } table)
        {
            throw new FormatException($"{Shape}, not {OptionValues.Describe(descriptor)}");
        }

        if (items[1] is not IReadOnlyDictionary<string, object?> mapping || mapping.Values.Any(v => v is not string { Length: > 0 }))
        {
            throw new FormatException($"{Shape}: the second item must map data keys to column names (text), not {OptionValues.Describe(items[1])}");
        }

        var constants = items.Count > 2 ? items[2] : null;
        if (constants is not (null or IReadOnlyDictionary<string, object?>))
        {
            throw new FormatException($"{Shape}: the third item must map column names to constants (or be None), not {OptionValues.Describe(constants)}");
        }

        return new RemapTarget(
            table,
            mapping.ToDictionary(pair => pair.Key, pair => (string)pair.Value!, StringComparer.Ordinal),
            constants as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>());
    }
}
