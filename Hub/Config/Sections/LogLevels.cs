namespace Hub.Config.Sections;

/// <summary>Python logging level names, normalised the way Python's <c>logging</c> resolves them.</summary>
internal static class LogLevels
{
    /// <summary>The names accepted, for messages.</summary>
    public const string Names = "DEBUG, INFO, WARNING, ERROR, CRITICAL (or WARN, FATAL, NOTSET), in any case";

    /// <summary>Upper-case level name; aliases mapped (WARN → WARNING, FATAL → CRITICAL, NOTSET → DEBUG: log everything); null for an unknown name.</summary>
    public static string? Normalise(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "CRITICAL" or "FATAL" => "CRITICAL",
        "ERROR" => "ERROR",
        "WARNING" or "WARN" => "WARNING",
        "INFO" => "INFO",
        "DEBUG" or "NOTSET" => "DEBUG",
        _ => null,
    };
}
