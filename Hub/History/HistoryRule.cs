namespace Hub.History;

/// <summary>One <c>[history:NAME]</c> section: which topics to record and which values of their payloads.</summary>
internal sealed record HistoryRule
{
    public required string Name { get; init; }

    /// <summary>The MQTT topic filter the rule records.</summary>
    public required string Topic { get; init; }

    public required HistoryValueKind Kind { get; init; }

    /// <summary>The JSON field path (<see cref="HistoryValueKind.Field"/>) or the format string (<see cref="HistoryValueKind.Format"/>).</summary>
    public string Expression { get; init; } = "";

    /// <summary>The series' field name: <c>field =</c>, else the JSON path, else <c>value</c>.</summary>
    public required string Field { get; init; }

    /// <summary>Tags, in file order: a name and where its value comes from.</summary>
    public IReadOnlyList<HistoryTag> Tags { get; init; } = [];
}
