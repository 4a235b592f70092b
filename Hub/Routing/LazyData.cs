using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Hub.Routing;

/// <summary>
/// The transformation data of one message, built on first use. Most routes in a busy hub format
/// nothing (a file or a bridge target with the payload as is): for them the time keys and the
/// parsed JSON are never needed, and building them would be the largest cost per message. A route that formats a few
/// fields reads them one by one (<see cref="TryGetValue"/>) from its <see cref="IDataSource"/> without building the
/// dictionary; anything that needs all of it (its keys, a plugin reading it) builds it.
/// </summary>
public sealed class LazyData : IReadOnlyDictionary<string, object?>
{
    private readonly Func<OrderedDictionary<string, object?>>? _build;
    private readonly IDataSource? _source;
    private OrderedDictionary<string, object?>? _data;

    public LazyData(Func<OrderedDictionary<string, object?>> build) => _build = build;

    /// <summary>Data built by <paramref name="source"/>, which can also answer single keys.</summary>
    internal LazyData(IDataSource source) => _source = source;

    /// <summary>Data that is already built (sections with functions build it up front).</summary>
    public static LazyData Of(OrderedDictionary<string, object?> data) => new(() => data) { _data = data };

    /// <summary>The built data (built now if it was not yet).</summary>
    public OrderedDictionary<string, object?> Value => _data ??= _source?.Build() ?? _build!();

    public bool IsBuilt => _data is not null;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    public IEnumerable<string> Keys => Value.Keys;

    public IEnumerable<object?> Values => Value.Values;

    public int Count => Value.Count;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_data is null && _source is not null)
        {
            switch (_source.TryGet(key, out value))
            {
                case DataLookup.Found:
                    return true;
                case DataLookup.Missing:
                    return false;
            }
        }

        return Value.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
