namespace Hub.Config.Sections;

/// <summary>Python logging level names, normalised the way Python's <c>logging</c> resolves them.</summary>
internal static class LogLevels
{
    /// <summary>Upper-case level name; aliases mapped (WARN → WARNING, FATAL → CRITICAL); unknown and NOTSET → DEBUG (log everything).</summary>
    public static string Normalise(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "CRITICAL" or "FATAL" => "CRITICAL",
        "ERROR" => "ERROR",
        "WARNING" or "WARN" => "WARNING",
        "INFO" => "INFO",
        _ => "DEBUG",
    };
}
