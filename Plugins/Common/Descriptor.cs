namespace Hub.Plugins.Common;

/// <summary>Reads target descriptors: positional lists (<c>['a', 'b']</c>) and named dicts (<c>{'path': 'a'}</c>).</summary>
public static class Descriptor
{
    /// <summary>The positional items of a list descriptor; a text descriptor counts as a one-item list.</summary>
    public static IReadOnlyList<object?> Items(object? descriptor) => descriptor switch
    {
        IReadOnlyList<object?> list => list,
        IReadOnlyDictionary<string, object?> => [],
        null => [],
        _ => [descriptor],
    };

    public static IReadOnlyDictionary<string, object?>? Named(object? descriptor) => descriptor as IReadOnlyDictionary<string, object?>;
}
