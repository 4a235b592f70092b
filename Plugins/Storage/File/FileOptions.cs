using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>file</c> plugin; a dict descriptor's keys override the service's.</summary>
public sealed record FileOptions(string Path, bool AppendNewline, bool Overwrite)
{
    /// <summary><c>append_newline</c> (default False): write a line break after each message.</summary>
    public const string AppendNewlineKey = "append_newline";

    /// <summary><c>overwrite</c> (default False): replace the file's content instead of appending.</summary>
    public const string OverwriteKey = "overwrite";

    public static FileOptions From(IReadOnlyDictionary<string, object?> service, object? descriptor)
    {
        var named = Descriptor.Named(descriptor);
        var path = named is not null
            ? OptionValues.ToText(named.GetValueOrDefault("path"))
            : Descriptor.Items(descriptor).FirstOrDefault() is { } first ? OptionValues.ToText(first) : null;
        if (string.IsNullOrEmpty(path))
        {
            throw new FormatException("the target needs a file path: ['/path/to/file'] or {'path': '/path/to/file'}");
        }

        var appendNewline = OptionValues.GetBool(service, AppendNewlineKey, false);
        var overwrite = OptionValues.GetBool(service, OverwriteKey, false);
        if (named is not null)
        {
            appendNewline = OptionValues.GetBool(named, AppendNewlineKey, appendNewline);
            overwrite = OptionValues.GetBool(named, OverwriteKey, overwrite);
        }

        return new FileOptions(path, appendNewline, overwrite);
    }
}
