using System.Collections;

namespace Hub.Analytics.Rules;

/// <summary>A verdict's values by name (value, derived values, fields, thresholds): a view over the sample's slots, no copy.</summary>
internal sealed class SlotValues(IReadOnlyList<(string Name, int Slot)> shown, double[] slots) : IReadOnlyDictionary<string, object?>
{
    public int Count => shown.Count;

    public IEnumerable<string> Keys => shown.Select(s => s.Name);

    public IEnumerable<object?> Values => shown.Select(s => Box(s.Name, slots[s.Slot]));

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => shown.Any(s => s.Name == key);

    public bool TryGetValue(string key, out object? value)
    {
        foreach (var (name, slot) in shown)
        {
            if (name == key)
            {
                value = Box(name, slots[slot]);
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        shown.Select(s => new KeyValuePair<string, object?>(s.Name, Box(s.Name, slots[s.Slot]))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Booleans as booleans; a value not known yet (NaN, e.g. <c>rate</c> on the first sample) as null.</summary>
    private static object? Box(string name, double value) => name switch
    {
        "anomalous" or "changed" => value != 0,
        _ when double.IsNaN(value) => null,
        _ => value,
    };
}
