namespace Hub.Config;

/// <summary>A place in a configuration file, printed as <c>FILE:LINE</c> (just <c>FILE</c> when the line is unknown, 0).</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
