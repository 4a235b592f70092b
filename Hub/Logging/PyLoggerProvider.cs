using Microsoft.Extensions.Logging;

namespace Hub.Logging;

/// <summary>
/// Writes one line per record, formatted like mqttwarn's log, to stderr, stdout or a file (appended).
/// Thread-safe; a write failure never throws into the caller.
/// </summary>
public sealed class PyLoggerProvider : ILoggerProvider
{
    private readonly PyLogLineFormatter _formatter;
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public PyLoggerProvider(string format, string destination, LogLevel minimum, TimeProvider? time = null)
    {
        _formatter = new PyLogLineFormatter(format);
        _minimum = minimum;
        _time = time ?? TimeProvider.System;
        switch (destination)
        {
            case "" or "stream://sys.stderr":
                _writer = Console.Error;
                break;
            case "stream://sys.stdout":
                _writer = Console.Out;
                break;
            default:
                var stream = new FileStream(destination, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                _writer = new StreamWriter(stream) { AutoFlush = true };
                _ownsWriter = true;
                break;
        }
    }

    public LogLevel Minimum => _minimum;

    public ILogger CreateLogger(string categoryName) => new PyLogger(this, categoryName);

    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writer.Dispose();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = _formatter.Format(_time.GetLocalNow(), level, category, message, exception);
        lock (_lock)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException)
            {
                // Logging must never take the hub down (e.g. a full disk or a closed pipe).
            }
        }
    }

    private sealed class PyLogger(PyLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
