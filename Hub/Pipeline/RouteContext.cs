using Hub.Config;
using Hub.Functions;
using Hub.Mqtt;
using Hub.Routing;

namespace Hub.Pipeline;

/// <summary>One message on its way through one route: the input, and what the steps made of it so far (the outcome).</summary>
internal sealed class RouteContext(MessageRouter router, TopicSection section, string topic, ReadOnlyMemory<byte> payload, DateTimeOffset now, bool applyFilter, MqttMessageProperties? properties)
    : IDataSource
{
    private LazyData? _data;

    /// <summary>The router running the route: the steps call back into it for the work they share (data, rendering, items).</summary>
    public MessageRouter Router { get; } = router;

    public TopicSection Section { get; } = section;

    public string Topic { get; } = topic;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>When the message arrived (the time keys of the data).</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>False for hub-made messages (watchdogs, events, <c>SendToTargets</c>): the section's filter is not asked.</summary>
    public bool ApplyFilter { get; } = applyFilter;

    public MqttMessageProperties? Properties { get; } = properties;

    /// <summary>The transformation data, set by the data step (empty until then).</summary>
    public LazyData Data { get => _data ??= LazyData.Of([]); set => _data = value; }

    public SectionOutcome Outcome { get; } = new(section);

    /// <summary>The payload's top-level JSON members once read for <see cref="TryGet"/> (empty when it is not a JSON object).</summary>
    public KeyValuePair<string, object?>[]? JsonMembers { get; set; }

    public OrderedDictionary<string, object?> Build() => Router.BuildData(this);

    public DataLookup TryGet(string key, out object? value) => Router.TryGetDatum(this, key, out value);
}
