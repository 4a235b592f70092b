using Microsoft.Extensions.Logging;

namespace Hub.Logging;

/// <summary>Python logging level names, as mqttwarn's <c>loglevel</c> and log lines use them.</summary>
public static class PyLogLevel
{
    public static LogLevel Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "CRITICAL" or "FATAL" => LogLevel.Critical,
        "ERROR" => LogLevel.Error,
        "WARN" or "WARNING" => LogLevel.Warning,
        "INFO" => LogLevel.Information,
        "NOTSET" => LogLevel.Trace,
        _ => LogLevel.Debug,
    };

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Critical => "CRITICAL",
        LogLevel.Error => "ERROR",
        LogLevel.Warning => "WARNING",
        LogLevel.Information => "INFO",
        LogLevel.Debug => "DEBUG",
        _ => "TRACE",
    };
}
