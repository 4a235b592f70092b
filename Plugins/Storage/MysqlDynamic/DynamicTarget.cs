using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>A <c>mysql_dynamic</c> target: mqttwarn's descriptor, the list of data keys not to store.</summary>
public sealed record DynamicTarget(IReadOnlySet<string> Ignore)
{
    /// <summary>Parses <c>['key', …]</c> (an empty list stores every key; a text is one key).</summary>
    /// <exception cref="FormatException">Not a list of keys.</exception>
    public static DynamicTarget From(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        return descriptor is IReadOnlyDictionary<string, object?> || items.Any(i => i is not string)
            ? throw new FormatException($"the target must be a list of data keys to leave out, e.g. ['payload', '_dtepoch'], not {OptionValues.Describe(descriptor)}")
            : new DynamicTarget(items.Cast<string>().ToHashSet(StringComparer.Ordinal));
    }
}
