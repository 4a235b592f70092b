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
}
