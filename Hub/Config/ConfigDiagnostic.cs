namespace Hub.Config;

/// <summary>A configuration error or warning, printed as <c>FILE:LINE: [section] message</c>.</summary>
public sealed record ConfigDiagnostic(SourceLocation Location, string Message, bool IsError = true)
{
    /// <summary>The INI section the diagnostic concerns, or null when it concerns the whole file.</summary>
    public string? Section { get; init; }

    public override string ToString()
    {
        var severity = IsError ? "" : "warning: ";
        var section = Section is null ? "" : $"[{Section}] ";
        // One line per diagnostic, whatever text of the file a message quotes (a value with line breaks).
        return Hub.Logging.PyLogLineFormatter.OneLine($"{Location}: {severity}{section}{Message}");
    }
}
