namespace Hub.Config;

/// <summary>A configuration error or warning, printed as <c>FILE:LINE: message</c>.</summary>
public sealed record ConfigDiagnostic(SourceLocation Location, string Message, bool IsError = true)
{
    public override string ToString() => IsError ? $"{Location}: {Message}" : $"{Location}: warning: {Message}";
}
