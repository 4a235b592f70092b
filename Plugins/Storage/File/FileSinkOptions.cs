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
}
