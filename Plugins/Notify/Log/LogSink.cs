using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>Writes each message into the hub's own log at the target's level.</summary>
[Plugin("log", Description = "Write messages into the hub's log")]
public sealed class LogSink : IInlineSink, ITargetBinder
{
    private readonly IPluginContext _context;

    /// <summary>Takes its options class, though it is empty, so that the host warns about any key in <c>[config:NAME]</c>.</summary>
    public LogSink(IPluginContext context, LogSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
    }

    public object BindTarget(string? targetName, object? descriptor) => Level(descriptor);

    /// <summary>A log line is handed to the hub's logger, which never waits: always inline.</summary>
    public bool CanSendInline(DeliveryItem item) => true;

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        _context.Logger.Log(Descriptor.Bound(item, Level, "log"), "{Message}", item.Message);
        return ValueTask.CompletedTask;
    }

    private static LogLevel Level(object? descriptor) => TryLevel(descriptor, out var level, out var problem) ? level : throw new FormatException(problem);

    private static bool TryLevel(object? descriptor, out LogLevel level, out string? problem)
    {
        var name = Descriptor.Items(descriptor).FirstOrDefault() is { } first ? OptionValues.ToText(first) : null;
        problem = null;
        level = name?.ToLowerInvariant() switch
        {
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "crit" or "critical" => LogLevel.Critical,
            _ => LogLevel.None,
        };
        if (level == LogLevel.None)
        {
            problem = $"log level must be one of debug, info, warn, crit, error (got {OptionValues.Describe(name)})";
            return false;
        }

        return true;
    }
}
