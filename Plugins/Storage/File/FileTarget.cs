using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>One resolved <c>file</c> target: the path template and the options of a dict descriptor, which win over the service's.</summary>
public sealed record FileTarget(string Path, bool AppendNewline, bool Overwrite)
{
    public static FileTarget From(FileSinkOptions service, object? descriptor)
    {
        var named = Descriptor.Named(descriptor);
        var path = named is not null
            ? OptionValues.ToText(named.GetValueOrDefault("path"))
            : Descriptor.Items(descriptor).FirstOrDefault() is { } first ? OptionValues.ToText(first) : null;
        if (string.IsNullOrEmpty(path))
        {
            throw new FormatException("the target needs a file path: ['/path/to/file'] or {'path': '/path/to/file'}");
        }

        var appendNewline = service.AppendNewline;
        var overwrite = service.Overwrite;
        if (named is not null)
        {
            appendNewline = OptionValues.GetBool(named, FileSinkOptions.AppendNewlineKey, appendNewline);
            overwrite = OptionValues.GetBool(named, FileSinkOptions.OverwriteKey, overwrite);
        }

        return new FileTarget(path, appendNewline, overwrite);
    }

    /// <summary>
    /// The shape of a descriptor, checked once at load (<see cref="From"/> stays lenient on the hot path): a list whose
    /// first item is the path, or a dict of <c>path</c>, <c>append_newline</c>, <c>overwrite</c>; anything else is refused.
    /// </summary>
    /// <exception cref="FormatException">The descriptor has another shape.</exception>
    public static void CheckShape(object? descriptor)
    {
        switch (descriptor)
        {
            case IReadOnlyDictionary<string, object?> named:
                if (named.Keys.FirstOrDefault(k => k is not ("path" or FileSinkOptions.AppendNewlineKey or FileSinkOptions.OverwriteKey)) is { } unknown)
                {
                    throw new FormatException($"unknown key '{unknown}' in the target (known: path, {FileSinkOptions.AppendNewlineKey}, {FileSinkOptions.OverwriteKey})");
                }

                if (named.GetValueOrDefault("path") is { } path and not string)
                {
                    throw new FormatException($"'path' must be text, not {OptionValues.Describe(path)}");
                }

                break;
            case IReadOnlyList<object?> list:
                if (list.Count > 0 && list[0] is not string)
                {
                    throw new FormatException($"the file path must be text, not {OptionValues.Describe(list[0])}");
                }

                break;
            case string or null:
                break;
            default:
                throw new FormatException($"the target must be ['/path/to/file'] or {{'path': '/path/to/file'}}, not {OptionValues.Describe(descriptor)}");
        }
    }
}
