namespace Hub.Analytics.Alarms;

/// <summary>One transition in the alarm history: when, whose, and its JSON object (as on <c>alarms/events</c>).</summary>
internal sealed record AlarmHistoryLine(DateTimeOffset Time, string Rule, string Key, string Json);
