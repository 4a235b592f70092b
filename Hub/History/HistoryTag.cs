namespace Hub.History;

/// <summary>One tag of a rule: <c>NAME=topic[N]</c> (topic level N, from 0) or <c>NAME=FIELD.PATH</c> (a payload field).</summary>
internal sealed record HistoryTag(string Name, int? TopicLevel, string? PayloadPath);
