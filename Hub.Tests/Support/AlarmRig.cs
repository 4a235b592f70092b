using Hub.Analytics;
using Hub.Analytics.Alarms;

namespace Hub.Tests.Support;

/// <summary>
/// An alarm lifecycle on a fake clock with a collecting sink, optionally on a SQLite store that survives
/// <see cref="Restart"/>. Rules compare the value with fixed thresholds: <c>when</c> is value &gt; 10, <c>recover</c> is
/// value &lt; 5 (hysteresis).
/// </summary>
internal sealed class AlarmRig : IDisposable
{
    private readonly TempDirectory? _directory;
    private readonly List<AlarmLifecycle> _killed = [];
    private IReadOnlyList<RuleOptions> _rules;

    public AlarmRig(bool persistent, params RuleOptions[] rules)
    {
        _rules = rules;
        _directory = persistent ? new TempDirectory() : null;
        Lifecycle = Create();
    }

    public AlarmRig(params RuleOptions[] rules)
        : this(false, rules)
    {
    }

    public FakeTimeProvider Time { get; } = new();
    public CollectingAlarmSink Sink { get; private set; } = new();
    public AlarmLifecycle Lifecycle { get; private set; }
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A rule named <paramref name="name"/>; its policy sends at once (no group wait) unless <paramref name="policy"/> says otherwise.</summary>
    public static RuleOptions Rule(string name, AlarmPolicy? policy = null) => new()
    {
        Name = name,
        File = "hub.ini",
        Line = 1,
        Topic = "sensors/#",
        When = "value > 10",
        Recover = "value < 5",
        Alarm = policy ?? new AlarmPolicy { GroupWait = TimeSpan.Zero, GroupInterval = TimeSpan.Zero },
    };

    /// <summary>One sample of <paramref name="key"/> now, then the clock's due work.</summary>
    public void Sample(string rule, string key, double value, IReadOnlyDictionary<string, string>? labels = null)
    {
        Lifecycle.Observe(new RuleVerdict(rule, key, Now, value, value > 10, value < 5, null,
            new Dictionary<string, object?> { ["value"] = value }, labels ?? new Dictionary<string, string>()));
        Lifecycle.Advance(Now);
    }

    /// <summary>A sample whose value could not be read.</summary>
    public void Broken(string rule, string key, string error)
    {
        Lifecycle.Observe(new RuleVerdict(rule, key, Now, null, false, false, error, new Dictionary<string, object?>(), new Dictionary<string, string>()));
        Lifecycle.Advance(Now);
    }

    /// <summary>Moves the clock and lets the lifecycle catch up.</summary>
    public void Tick(TimeSpan by)
    {
        Time.Advance(by);
        Lifecycle.Advance(Now);
    }

    /// <summary>Stops the lifecycle and starts a new one on the same store (a hub restart); <paramref name="rules"/> replace the rules when given.</summary>
    public void Restart(params RuleOptions[] rules)
    {
        Lifecycle.Dispose();
        if (rules.Length > 0)
        {
            _rules = rules;
        }

        Sink = new CollectingAlarmSink();
        Lifecycle = Create();
    }

    /// <summary>Starts a new lifecycle on the same store without stopping the running one (a hub killed: it saves nothing more).</summary>
    public void Crash()
    {
        _killed.Add(Lifecycle);
        Sink = new CollectingAlarmSink();
        Lifecycle = Create();
    }

    public void Dispose()
    {
        Lifecycle.Dispose();
        foreach (var killed in _killed)
        {
            killed.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory?.Dispose();
    }

    private AlarmLifecycle Create() =>
        new(_rules, Sink, Time, _directory is null ? null : SqliteAlarmStore.Open(_directory.File("alarms.db")));
}
