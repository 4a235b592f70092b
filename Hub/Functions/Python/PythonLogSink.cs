using Microsoft.Extensions.Logging;

namespace Hub.Functions.Python;

/// <summary>
/// Where <c>srv.logging</c> writes: the hub's logger of the same name (a function's name, or <c>hub.plugin.SERVICE</c>
/// for a service module), at the level Python's record carries. Called from Python with the GIL held.
/// </summary>
public sealed class PythonLogSink
{
    private readonly ILoggerFactory _loggers;

    internal PythonLogSink(ILoggerFactory loggers) => _loggers = loggers;

    /// <summary>Writes one Python log record.</summary>
    /// <param name="name">The Python logger's name.</param>
    /// <param name="level">Python's level number (10 DEBUG … 50 CRITICAL).</param>
    /// <param name="message">The formatted record.</param>
    public void Write(string name, int level, string message) =>
        _loggers.CreateLogger(name).Log(Level(level), "{Message}", message);

    private static LogLevel Level(int level) => level switch
    {
        >= 50 => LogLevel.Critical,
        >= 40 => LogLevel.Error,
        >= 30 => LogLevel.Warning,
        >= 20 => LogLevel.Information,
        >= 10 => LogLevel.Debug,
        _ => LogLevel.Trace,
    };
}
