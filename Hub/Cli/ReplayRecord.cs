namespace Hub.Cli;

/// <summary>One recorded message of <c>hub replay</c>: its event time, topic and payload, and where it was read.</summary>
internal sealed record ReplayRecord(DateTimeOffset Time, string Topic, ReadOnlyMemory<byte> Payload, int Line);
