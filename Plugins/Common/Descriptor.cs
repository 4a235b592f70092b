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

    /// <summary>
    /// For <c>ITargetValidator.ValidateTarget</c>: runs <paramref name="parse"/> and returns its <see cref="FormatException"/>
    /// message as the one problem, or none.
    /// </summary>
    public static IEnumerable<string> Problems(Action parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            parse();
            return [];
        }
        catch (FormatException ex)
        {
            return [ex.Message];
        }
    }

    /// <summary>
    /// For <c>SendAsync</c> of a sink with an <see cref="ITargetBinder"/>: the target the host bound once, when it built the
    /// graph (<see cref="DeliveryItem.Bound"/>). Only an item the host did not make (a test calling the sink directly) has
    /// none: its descriptor is parsed here, a <see cref="FormatException"/> becoming a <see cref="PermanentDeliveryException"/>.
    /// </summary>
    public static T Bound<T>(DeliveryItem item, Func<object?, T> parse, string service)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(parse);
        return item.Bound is T bound ? bound : Parse(() => parse(item.Addrs), service);
    }

    /// <summary>
    /// For <c>SendAsync</c>: the parsed target; a <see cref="FormatException"/> becomes a
    /// <see cref="PermanentDeliveryException"/> (<c>SERVICE: reason</c>): sending it again would not help.
    /// </summary>
    public static T Parse<T>(Func<T> parse, string service)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            throw new PermanentDeliveryException($"{service}: {ex.Message}", null, ex);
        }
    }
}
