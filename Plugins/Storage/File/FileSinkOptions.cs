namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>file</c> plugin (<c>[config:NAME]</c>); a dict target's keys override them per target.</summary>
public sealed class FileSinkOptions
{
    public const string AppendNewlineKey = "append_newline";
    public const string OverwriteKey = "overwrite";

    [Option(AppendNewlineKey, Description = "write a line break after each message")]
    public bool AppendNewline { get; set; }

    [Option(OverwriteKey, Description = "replace the file's content with each message instead of appending")]
    public bool Overwrite { get; set; }

    [Option("allowed_dirs", Description = "directories the target paths must stay inside (a list, or names separated by commas; relative to the config file); unset: anywhere")]
    public object? AllowedDirs { get; set; }

    /// <summary>The allowed directories as full paths ending with a separator; empty when unrestricted.</summary>
    public IReadOnlyList<string> AllowedDirectories(string configDirectory)
    {
        var names = AllowedDirs switch
        {
            null => [],
            string text => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            _ => Hub.Plugins.Common.Descriptor.Items(AllowedDirs).Select(d => d?.ToString() ?? "").Where(d => d.Length > 0).ToArray(),
        };
        return [.. names.Select(n => Path.TrimEndingDirectorySeparator(Path.GetFullPath(n, configDirectory)) + Path.DirectorySeparatorChar)];
    }
}
