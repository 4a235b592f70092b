namespace Hub.Analytics;

/// <summary>Where the alarm lifecycle's decisions go: the broker and the targets in <c>hub run</c>, standard output in <c>hub replay</c>.</summary>
internal interface IAlarmSink
{
    /// <summary>A key changed state (published retained on <c>alarms/RULE/KEY</c> and on <c>alarms/events</c>).</summary>
    void Transition(AlarmTransition transition);

    /// <summary>A notification to deliver to the rule's targets (one alarm, or one group of them).</summary>
    void Notify(AlarmNotification notification);
}
