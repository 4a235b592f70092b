using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Hub.Routing;

/// <summary>
/// The transformation data of one message, built on first use. Most routes in a busy hub format
/// nothing (a file or a bridge target with the payload as is): for them the time keys and the
/// parsed JSON are never needed, and building them would be the largest cost per message.
/// </summary>
public sealed class LazyData(Func<OrderedDictionary<string, object?>> build) : IReadOnlyDictionary<string, object?>
{
    private OrderedDictionary<string, object?>? _data;

    /// <summary>Data that is already built (sections with functions build it up front).</summary>
    public static LazyData Of(OrderedDictionary<string, object?> data) => new(() => data) { _data = data };

    /// <summary>The built data (built now if it was not yet).</summary>
    public OrderedDictionary<string, object?> Value => _data ??= build();

    public bool IsBuilt => _data is not null;

    public object? this[string key] => Value[key];

    public IEnumerable<string> Keys => Value.Keys;

    public IEnumerable<object?> Values => Value.Values;

    public int Count => Value.Count;

    public bool ContainsKey(string key) => Value.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => Value.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
