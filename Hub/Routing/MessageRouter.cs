using System.Text;
using Hub.Config;
using Hub.Formatting;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Routing;

/// <summary>
/// Turns one MQTT message into delivery items: every matching topic section, in file order, builds
/// the transformation data, resolves its targets, renders title/message/priority/image once, and
/// yields one item per target. Pure computation: <c>hub run</c> enqueues the items, <c>hub test</c>
/// prints them.
/// </summary>
public sealed class MessageRouter
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly HubConfig _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IDataFormatter _formatter;
    private readonly Dictionary<TopicSection, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>> _dispatchOrder = [];
    private readonly Dictionary<string, ServiceConfig> _services;
    private readonly IReadOnlySet<TopicSection> _timeoutOnly;
    private readonly Hub.PluginHost.StageRunner? _stages;

    public MessageRouter(HubConfig config, ILogger logger, TimeProvider time, IDataFormatter? formatter = null, Hub.PluginHost.StageRunner? stages = null)
    {
        _stages = stages;
        _config = config;
        _logger = logger;
        _time = time;
        _formatter = formatter ?? PyFormatter.Instance;
        _services = config.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _timeoutOnly = Watchdogs.TimeoutOnlySections(config);
        foreach (var section in config.Sections.Append(config.Failover).OfType<TopicSection>())
        {
            if (section.Targets is TargetDispatch dispatch)
            {
                _dispatchOrder[section] = DispatcherOrder.Sort(dispatch.Entries);
            }
        }
    }

    /// <summary>Routes a message received from the broker.</summary>
    public List<SectionOutcome> Route(string topic, ReadOnlyMemory<byte> payload, bool retained)
    {
        var outcomes = new List<SectionOutcome>();
        if (retained && _config.Defaults.SkipRetained)
        {
            _logger.LogDebug("Skipping retained message on {Topic}", topic);
            return outcomes;
        }

        DateTimeOffset? now = null;
        foreach (var section in _config.Sections)
        {
            if (!TopicFilter.Matches(section.Topic, topic) || _timeoutOnly.Contains(section))
            {
                continue;
            }

            _logger.LogDebug("Section [{Section}] matches message on {Topic}, processing it", section.Name, topic);
            now ??= _time.GetUtcNow();
            outcomes.Add(RouteSection(section, topic, payload, now.Value));
        }

        return outcomes;
    }

    /// <summary>Routes a hub event (e.g. <c>brokerdisconnected</c>) through <c>[failover]</c>.</summary>
    public SectionOutcome? RouteEvent(string eventName, string text)
    {
        if (_config.Failover is null)
        {
            _logger.LogWarning("Section [failover] does not exist in your INI file, skipping message on topic '{Topic}'", eventName);
            return null;
        }

        return RouteSection(_config.Failover, eventName, Encoding.UTF8.GetBytes(text), _time.GetUtcNow());
    }

    /// <summary>Routes a hub-made message (watchdog notices) through one section.</summary>
    public SectionOutcome RouteSynthetic(TopicSection section, string topic, string text) =>
        RouteSection(section, topic, Encoding.UTF8.GetBytes(text), _time.GetUtcNow());

    private SectionOutcome RouteSection(TopicSection section, string topic, ReadOnlyMemory<byte> payload, DateTimeOffset now)
    {
        var outcome = new SectionOutcome(section);
        var data = TransformationData.Create(topic, payload.Span, now, TimeZoneInfo.Local);
        if (!TransformationData.MergeJson(data, payload.Span, out var jsonError))
        {
            _logger.LogDebug("Decoding JSON failed: {Reason}", jsonError);
        }

        outcome.Data = data;
        if (_stages is not null && !_stages.Run(outcome.Section, topic, payload, retained: false, data))
        {
            outcome.Notes.Add("dropped by a filter stage");
            return outcome;
        }

        outcome.References = ResolveReferences(section, topic, data, outcome);
        if (outcome.References.Count == 0)
        {
            return outcome;
        }

        var payloadText = DecodePayload(topic, payload.Span);
        outcome.Title = Render(section.Title, data, $"hub: {topic}", section, "title");
        outcome.Image = Render(section.Image, data, "", section, "image");
        outcome.Message = section.Format is null ? PyValue.ExpandNewlines(payloadText) : Render(section.Format, data, payloadText, section, "format");
        outcome.Priority = RenderPriority(section, data);

        foreach (var reference in outcome.References)
        {
            AddItems(outcome, reference, topic, payload, data);
        }

        return outcome;
    }

    private string DecodePayload(string topic, ReadOnlySpan<byte> payload)
    {
        try
        {
            return StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            _logger.LogWarning("Payload on {Topic} is not valid UTF-8; invalid bytes replaced by U+FFFD", topic);
            return Encoding.UTF8.GetString(payload);
        }
    }

    private IReadOnlyList<string> ResolveReferences(TopicSection section, string topic, IReadOnlyDictionary<string, object?> data, SectionOutcome outcome)
    {
        IReadOnlyList<string> raw;
        switch (section.Targets)
        {
            case TargetList list:
                raw = list.References;
                break;
            case TargetDispatch:
                var winner = _dispatchOrder[section].FirstOrDefault(e => TopicFilter.Matches(e.Key, topic));
                if (winner.Value is null)
                {
                    _logger.LogDebug("Dispatcher definition does not contain matching topic/target pair in section [{Section}]", section.Name);
                    outcome.Notes.Add("no key of the targets dispatcher matches the topic: nothing is sent");
                    return [];
                }

                raw = winner.Value;
                break;
            default:
                outcome.Problems.Add("targets function: user functions are not supported yet");
                return [];
        }

        var references = new List<string>(raw.Count);
        foreach (var reference in raw)
        {
            if (!reference.Contains('{') && !reference.Contains('}'))
            {
                references.Add(reference);
                continue;
            }

            try
            {
                references.Add(_formatter.Format(reference, data));
            }
            catch (FormatException ex)
            {
                var text = $"Interpolating transformation data into topic target '{reference}' failed. Reason: {ex.Message}";
                _logger.LogError("{Problem} (section [{Section}], topic {Topic})", text, section.Name, topic);
                outcome.Problems.Add(text);
            }
        }

        return references;
    }

    private void AddItems(SectionOutcome outcome, string reference, string topic, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, object?> data)
    {
        var parts = reference.Split(':');
        if (parts.Length > 2)
        {
            Problem(outcome, $"Invalid topic target: {reference}. Should be 'service:target'.");
            return;
        }

        if (!_services.TryGetValue(parts[0], out var service))
        {
            Problem(outcome, $"Invalid configuration: Topic '{topic}' points to non-existing service '{parts[0]}'");
            return;
        }

        IEnumerable<ServiceTarget> targets;
        if (parts.Length == 1)
        {
            targets = service.Targets;
        }
        else if (service.FindTarget(parts[1]) is { } target)
        {
            targets = [target];
        }
        else
        {
            Problem(outcome, $"Invalid configuration: Topic '{topic}' points to non-existing target '{parts[1]}' in service '{service.Name}'");
            return;
        }

        var binary = !service.DecodeUtf8 && outcome.Section.Format is null;
        var message = binary ? Encoding.UTF8.GetString(payload.Span) : outcome.Message;
        if (binary ? payload.IsEmpty : string.IsNullOrEmpty(message))
        {
            _logger.LogInformation("Notification suppressed. Reason: Payload is empty. service={Service}, topic={Topic}", service.Name, topic);
            outcome.Notes.Add($"{reference}: suppressed, the message is empty");
            return;
        }

        var messageBytes = binary ? payload : Encoding.UTF8.GetBytes(message);
        foreach (var target in targets)
        {
            outcome.Items.Add(new RoutedItem(service, target, new DeliveryItem
            {
                Service = service.Name,
                Section = outcome.Section.Name,
                Target = target.Name,
                Addrs = target.Descriptor,
                Config = service.Options,
                Topic = topic,
                Payload = payload,
                Data = data,
                Message = message,
                MessageBytes = messageBytes,
                IsBinary = binary,
                Title = outcome.Title,
                Image = outcome.Image,
                Priority = outcome.Priority,
            }));
        }
    }

    private void Problem(SectionOutcome outcome, string text)
    {
        _logger.LogError("{Problem}", text);
        outcome.Problems.Add(text);
    }

    private string Render(string? format, IReadOnlyDictionary<string, object?> data, string fallback, TopicSection section, string key)
    {
        if (format is null)
        {
            return PyValue.ExpandNewlines(fallback);
        }

        try
        {
            return PyValue.ExpandNewlines(_formatter.Format(format, data));
        }
        catch (FormatException ex)
        {
            _logger.LogError("Formatting message with function failed: {Format} ({Key} in section [{Section}]: {Reason})", format, key, section.Name, ex.Message);
            return PyValue.ExpandNewlines(fallback);
        }
    }

    private int RenderPriority(TopicSection section, IReadOnlyDictionary<string, object?> data)
    {
        if (section.Priority is null)
        {
            return 0;
        }

        var text = Render(section.Priority, data, "0", section, "priority");
        var priority = PriorityConverter.ToPriority(text, out var ok);
        if (ok)
        {
            return priority;
        }

        _logger.LogError("Failed to determine the priority, defaulting to zero (section [{Section}], value '{Value}')", section.Name, text);
        return 0;
    }
}
