using Hub.History;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Analytics.Jobs;

/// <summary>What the running hub (or a test) gives the jobs: history, broker, profiles, alarms, notification targets, clock.</summary>
internal sealed class JobServices
{
    /// <summary>The embedded history to read, or null when the hub records none (history-reading jobs then fail with a clear error).</summary>
    public HistoryStore? History { get; init; }

    /// <summary>The hub's broker connection (forecast and correlation publish through it); null = publishing fails the run.</summary>
    public IMessagePublisher? Publisher { get; init; }

    public required ISeasonalProfiles Profiles { get; init; }

    /// <summary>Where trend alarms go (the runtime's alarm lifecycle; a no-op until one is wired).</summary>
    public IAlarmLifecycle Alarms { get; init; } = NoAlarmLifecycle.Instance;

    /// <summary>
    /// Sends one notification through a configured target (<c>SERVICE:TARGET</c>) with the normal delivery (queue, retries,
    /// journal): target, title, message, extra data. Null = no targets (mailing jobs fail the run).
    /// </summary>
    public Func<string, string, string, IReadOnlyDictionary<string, object?>, CancellationToken, ValueTask>? Notify { get; init; }

    /// <summary>The alarm transitions of a period as text lines (the alarm store), or null when no alarm store is wired.</summary>
    public Func<DateTimeOffset, DateTimeOffset, IReadOnlyList<string>>? AlarmsOfPeriod { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public required ILogger Logger { get; init; }
}
