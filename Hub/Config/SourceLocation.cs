namespace Hub.Config;

/// <summary>A place in a configuration file, printed as <c>FILE:LINE</c>.</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
