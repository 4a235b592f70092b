using Hub.Analytics;

namespace Hub.Tests.Support;

/// <summary>Keeps what the alarm lifecycle decided, in order.</summary>
internal sealed class CollectingAlarmSink : IAlarmSink
{
    private readonly Lock _gate = new();
    private readonly List<AlarmTransition> _transitions = [];
    private readonly List<AlarmNotification> _notifications = [];

    public IReadOnlyList<AlarmTransition> Transitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transitions];
            }
        }
    }

    public IReadOnlyList<AlarmNotification> Notifications
    {
        get
        {
            lock (_gate)
            {
                return [.. _notifications];
            }
        }
    }

    /// <summary>The states the key went through, in order (<c>pending, firing, ...</c>; flag-only changes left out).</summary>
    public IReadOnlyList<AlarmState> States(string key) =>
        [.. Transitions.Where(t => t.Key == key && t.State != t.Previous).Select(t => t.State)];

    public void Transition(AlarmTransition transition)
    {
        lock (_gate)
        {
            _transitions.Add(transition);
        }
    }

    public void Notify(AlarmNotification notification)
    {
        lock (_gate)
        {
            _notifications.Add(notification);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _transitions.Clear();
            _notifications.Clear();
        }
    }
}
