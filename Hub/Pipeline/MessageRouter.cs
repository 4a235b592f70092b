using System.Text;
using Hub.Config;
using Hub.Formatting;
using Hub.Functions;
using Hub.Mqtt;
using Hub.Plugins;
using Hub.Routing;
using Microsoft.Extensions.Logging;

namespace Hub.Pipeline;

/// <summary>
/// Turns one MQTT message into delivery items: every matching topic section, in file order, builds
/// the transformation data, resolves its targets, renders title/message/priority/image once, and
/// yields one item per target. Each section is a list of steps (<see cref="RouteSteps"/>) run in order;
/// <c>hub run</c> routes on its route workers with <see cref="RouteAsync"/> and enqueues the items,
/// <c>hub test</c> prints them.
/// </summary>
public sealed partial class MessageRouter
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly HubConfig _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IDataFormatter _formatter;
    private readonly Dictionary<TopicSection, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>>> _dispatchOrder = [];
    private readonly Dictionary<string, ServiceConfig> _services;
    private readonly IReadOnlySet<TopicSection> _timeoutOnly;
    private readonly Dictionary<string, ResolvedReference> _resolved;
    private readonly FunctionTable _functions;
    private readonly IReadOnlyDictionary<(string Service, string? Target), object>? _bound;
    private readonly IReadOnlyDictionary<TopicSection, IReadOnlyList<IRouteStep>> _steps;
    private readonly HashSet<TopicSection> _builtInOnly = [];

    /// <summary>A router that composes its own route steps (<c>hub test</c>, tests); <c>hub run</c> runs the graph's.</summary>
    public MessageRouter(HubConfig config, ILogger logger, TimeProvider time, IDataFormatter? formatter = null, Hub.PluginHost.StageRunner? stages = null)
        : this(config, logger, time, RouteSteps.ComposeAll(config, stages), bound: null, formatter)
    {
    }

    /// <summary>
    /// A router that runs the step lists a graph composed (<paramref name="steps"/>: every topic section and
    /// <c>[failover]</c>), handing each item the target its sink's binder bound (<paramref name="bound"/>).
    /// </summary>
    internal MessageRouter(
        HubConfig config, ILogger logger, TimeProvider time, IReadOnlyDictionary<TopicSection, IReadOnlyList<IRouteStep>> steps,
        IReadOnlyDictionary<(string Service, string? Target), object>? bound, IDataFormatter? formatter = null)
    {
        _config = config;
        _logger = logger;
        _time = time;
        _formatter = formatter ?? PyFormatter.Instance;
        _functions = config.Functions;
        _bound = bound;
        _services = config.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        _timeoutOnly = Watchdogs.TimeoutOnlySections(config);
        _resolved = ResolveStaticReferences(config);
        _steps = steps;
        foreach (var section in config.Sections.Append(config.Failover).OfType<TopicSection>())
        {
            if (section.Targets is TargetDispatch dispatch)
            {
                _dispatchOrder[section] = DispatcherOrder.Sort(dispatch.Entries);
            }

            if (steps[section].All(step => step.IsBuiltIn))
            {
                _builtInOnly.Add(section);
            }
        }
    }

    /// <summary>
    /// Record in <see cref="SectionOutcome.Fallbacks"/> each field that fell back, with its reason and fallback
    /// (<c>hub test</c>). Off for <c>hub run</c>, which logs them and has no reader for the text.
    /// </summary>
    public bool ExplainFallbacks { get; init; }

    /// <summary>Inputs refused or repaired on the way, by kind (each is also logged).</summary>
    public RouterCounters Counters { get; } = new();

    /// <summary>
    /// Routes a message received from the broker and waits for it: for <c>hub test</c> and other callers off the message
    /// path (the runtime routes with <see cref="RouteAsync"/>). Its MQTT 5.0 <paramref name="properties"/> become data keys.
    /// </summary>
    public List<SectionOutcome> Route(string topic, ReadOnlyMemory<byte> payload, bool retained, Hub.Mqtt.MqttMessageProperties? properties = null) =>
        Wait(RouteAsync(topic, payload, retained, properties));

    /// <summary>
    /// The route of <paramref name="topic"/> for the route workers: a hash of the names of the sections it matches (the
    /// topic's own when it matches none), and whether they are all made of built-in steps (no user function, no plugin
    /// stage): routing it then cannot block, so it may run on the thread that received it.
    /// </summary>
    internal RouteKey Classify(string topic)
    {
        var hash = RouteKey.Of("");
        var matched = false;
        var builtIn = true;
        var sections = _config.Sections;
        for (var i = 0; i < sections.Count; i++) // by index: a foreach over the list interface allocates an enumerator per message
        {
            var section = sections[i];
            if (TopicFilter.Matches(section.Topic, topic))
            {
                hash = RouteKey.Add(hash, section.Name) * 31;
                matched = true;
                builtIn &= _builtInOnly.Contains(section);
            }
        }

        return new RouteKey(matched ? hash : RouteKey.Of(topic), builtIn);
    }

    /// <summary>True when every section matching <paramref name="topic"/> is made of built-in steps only.</summary>
    public bool IsBuiltInOnly(string topic) => Classify(topic).BuiltInOnly;

    /// <summary>Routes a message received from the broker; its MQTT 5.0 <paramref name="properties"/> become data keys (<see cref="PropertyData"/>).</summary>
    public async ValueTask<List<SectionOutcome>> RouteAsync(string topic, ReadOnlyMemory<byte> payload, bool retained, Hub.Mqtt.MqttMessageProperties? properties = null)
    {
        var outcomes = new List<SectionOutcome>(1); // most messages match one section
        if (retained && _config.Defaults.SkipRetained)
        {
            _logger.LogDebug("Skipping retained message on {Topic}", topic);
            return outcomes;
        }

        DateTimeOffset? now = null;
        var sections = _config.Sections;
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            if (!TopicFilter.Matches(section.Topic, topic) || _timeoutOnly.Contains(section))
            {
                continue;
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug("Section [{Section}] matches message on {Topic}, processing it", section.Name, topic);
            }

            now ??= _time.GetUtcNow();
            outcomes.Add(await RouteSectionAsync(section, topic, payload, now.Value, applyFilter: true, properties).ConfigureAwait(false));
        }

        return outcomes;
    }

    /// <summary>Routes a hub event (e.g. <c>brokerdisconnected</c>) through <c>[failover]</c>, waiting for it (off the message path).</summary>
    public SectionOutcome? RouteEvent(string eventName, string text) => Wait(RouteEventAsync(eventName, text));

    /// <summary>Routes a hub event (e.g. <c>brokerdisconnected</c>) through <c>[failover]</c>; null when there is no such section.</summary>
    public async ValueTask<SectionOutcome?> RouteEventAsync(string eventName, string text)
    {
        if (_config.Failover is null)
        {
            _logger.LogWarning("Section [failover] does not exist in your INI file, skipping message on topic '{Topic}'", eventName);
            return null;
        }

        return await RouteSectionAsync(_config.Failover, eventName, Encoding.UTF8.GetBytes(text), _time.GetUtcNow(), applyFilter: false).ConfigureAwait(false);
    }

    /// <summary>
    /// A user function's <c>SendToTargets</c>: <paramref name="payload"/> as if it arrived on <paramref name="topic"/>,
    /// through the named topic section only, without its filter. Unknown section → <see cref="ArgumentException"/>.
    /// </summary>
    public SectionOutcome RouteToSection(string sectionName, string topic, string payload) => Wait(RouteToSectionAsync(sectionName, topic, payload));

    /// <summary>As <see cref="RouteToSection"/>; an unknown section throws at once, before anything is routed.</summary>
    public ValueTask<SectionOutcome> RouteToSectionAsync(string sectionName, string topic, string payload)
    {
        var section = _config.Sections.Append(_config.Failover).FirstOrDefault(s => s?.Name == sectionName)
            ?? throw new ArgumentException($"there is no topic section [{sectionName}]", nameof(sectionName));
        return RouteSyntheticAsync(section, topic, payload);
    }

    /// <summary>Routes a hub-made message (watchdog notices) through one section.</summary>
    public ValueTask<SectionOutcome> RouteSyntheticAsync(TopicSection section, string topic, string text) =>
        RouteSectionAsync(section, topic, Encoding.UTF8.GetBytes(text), _time.GetUtcNow(), applyFilter: false);

    /// <summary>The section's steps in order, until one stops the route.</summary>
    private async ValueTask<SectionOutcome> RouteSectionAsync(
        TopicSection section, string topic, ReadOnlyMemory<byte> payload, DateTimeOffset now, bool applyFilter, Hub.Mqtt.MqttMessageProperties? properties = null)
    {
        var context = new RouteContext(this, section, topic, payload, now, applyFilter, properties);
        var steps = _steps[section];
        for (var i = 0; i < steps.Count; i++)
        {
            if (await steps[i].RunAsync(context).ConfigureAwait(false) == StepResult.Stop)
            {
                break;
            }
        }

        return context.Outcome;
    }

    /// <summary>The result of a routing call, waited for when it did not complete at once (callers off the message path only).</summary>
    private static T Wait<T>(ValueTask<T> routing) => routing.IsCompletedSuccessfully ? routing.Result : routing.AsTask().GetAwaiter().GetResult();

    /// <summary>The data without functions (built lazily by the data step).</summary>
    internal OrderedDictionary<string, object?> BuildData(RouteContext context)
    {
        var data = TransformationData.Create(context.Topic, context.Payload.Span, context.Now, TimeZoneInfo.Local);
        MergeJsonAndProperties(data, context);
        return data;
    }

    /// <summary>The data with the section's <c>datamap</c>/<c>alldata</c> functions merged before the payload's JSON.</summary>
    internal async ValueTask<OrderedDictionary<string, object?>> BuildDataAsync(RouteContext context, SectionHooks hooks)
    {
        var data = TransformationData.Create(context.Topic, context.Payload.Span, context.Now, TimeZoneInfo.Local);
        await MergeFunctionDataAsync(hooks, context.Section, context.Topic, data).ConfigureAwait(false);
        MergeJsonAndProperties(data, context);
        return data;
    }

    /// <summary>
    /// One key of the data without functions, as <see cref="BuildData"/> would hold it, without building it: the payload's
    /// JSON members (the last of a key wins, as in the merge), else the keys the data starts with. A message with MQTT 5.0
    /// properties (they add keys) is left to the built data.
    /// </summary>
    internal DataLookup TryGetDatum(RouteContext context, string key, out object? value)
    {
        value = null;
        if (context.Properties is not null)
        {
            return DataLookup.Unknown;
        }

        var members = context.JsonMembers ??= ReadJsonMembers(context.Payload.Span);
        for (var i = members.Length - 1; i >= 0; i--)
        {
            if (string.Equals(members[i].Key, key, StringComparison.Ordinal))
            {
                value = members[i].Value;
                return DataLookup.Found;
            }
        }

        return TransformationData.TryGetCreated(key, context.Topic, context.Payload.Span, context.Now, TimeZoneInfo.Local, out value) ? DataLookup.Found : DataLookup.Missing;
    }

    private KeyValuePair<string, object?>[] ReadJsonMembers(ReadOnlySpan<byte> payload)
    {
        if (JsonData.TryReadMembers(payload, out var jsonError) is { } members)
        {
            return members;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Decoding JSON failed: {Reason}", jsonError);
        }

        return [];
    }

    private void MergeJsonAndProperties(OrderedDictionary<string, object?> data, RouteContext context)
    {
        if (!TransformationData.MergeJson(data, context.Payload.Span, out var jsonError) && _logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Decoding JSON failed: {Reason}", jsonError);
        }

        PropertyData.Add(data, context.Properties);
    }

    /// <summary>The rendering step: the payload as text, then title, image, message and priority (by functions where the section names them).</summary>
    internal async ValueTask RenderAsync(RouteContext context, SectionHooks? hooks)
    {
        var (outcome, data, topic) = (context.Outcome, context.Data, context.Topic);
        var section = outcome.Section;
        // Once built, the data holds the payload decoded (when it is valid UTF-8): do not decode it twice.
        string payloadText;
        if (data.IsBuilt && data.Value["payload"] is string decoded)
        {
            payloadText = decoded;
        }
        else
        {
            payloadText = DecodePayload(topic, context.Payload.Span, out var repaired);
            outcome.PayloadRepaired = repaired;
        }

        outcome.PayloadText = payloadText;
        if (hooks is null)
        {
            outcome.Title = Render(section.Title, data, DefaultTitle(topic), outcome, "title");
            outcome.Image = Render(section.Image, data, "", outcome, "image");
            outcome.Message = section.Format is null ? PyValue.ExpandNewlines(payloadText) : Render(section.Format, data, payloadText, outcome, "format");
            outcome.Priority = RenderPriority(outcome, data);
        }
        else
        {
            await RenderWithFunctionsAsync(hooks, outcome, topic, payloadText, data).ConfigureAwait(false);
        }
    }

    /// <summary>The title of a route without <c>title</c>, <c>hub: TOPIC</c>: the last one again when the topic is the same (one string less per message of a busy topic).</summary>
    private string DefaultTitle(string topic)
    {
        if (_lastTitle is { } last && string.Equals(last.Topic, topic, StringComparison.Ordinal))
        {
            return last.Title;
        }

        var title = $"hub: {topic}";
        _lastTitle = new TopicTitle(topic, title);
        return title;
    }

    private TopicTitle? _lastTitle;

    private sealed record TopicTitle(string Topic, string Title);

    private string DecodePayload(string topic, ReadOnlySpan<byte> payload, out bool repaired)
    {
        repaired = false;
        try
        {
            return StrictUtf8.GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            repaired = true;
            Counters.OnInvalidUtf8();
            _logger.LogWarning("Payload on {Topic} is not valid UTF-8; invalid bytes replaced by U+FFFD", topic);
            return Encoding.UTF8.GetString(payload);
        }
    }

    private async ValueTask RenderWithFunctionsAsync(SectionHooks hooks, SectionOutcome outcome, string topic, string payloadText, IReadOnlyDictionary<string, object?> data)
    {
        var section = outcome.Section;
        var defaultTitle = DefaultTitle(topic);
        outcome.Title = hooks.Title is { } title ? await CallTextAsync(hooks, title, outcome, data, defaultTitle, "title").ConfigureAwait(false) ?? "" : Render(section.Title, data, defaultTitle, outcome, "title");
        outcome.Image = hooks.Image is { } image ? await CallTextAsync(hooks, image, outcome, data, "", "image").ConfigureAwait(false) ?? "" : Render(section.Image, data, "", outcome, "image");
        outcome.Message = hooks.Format is { } format ? await CallTextAsync(hooks, format, outcome, data, payloadText, "format").ConfigureAwait(false) ?? ""
            : section.Format is null ? PyValue.ExpandNewlines(payloadText) : Render(section.Format, data, payloadText, outcome, "format");
        outcome.Priority = hooks.Priority is { } priority ? await CallPriorityAsync(hooks, priority, outcome, data).ConfigureAwait(false) : RenderPriority(outcome, data);
        if (hooks.Template is { } template)
        {
            ApplyTemplate(template, outcome, data);
        }
    }

    /// <summary>The targets step: the references of the section for this message, templated ones formatted.</summary>
    internal async ValueTask<IReadOnlyList<string>> ResolveReferencesAsync(RouteContext context, SectionHooks? hooks)
    {
        var (section, topic, data, outcome) = (context.Section, context.Topic, context.Data, context.Outcome);
        IReadOnlyList<string> raw;
        switch (section.Targets)
        {
            case TargetList list:
                raw = list.References;
                break;
            case TargetDispatch:
                var winner = DispatchWinner(section, topic);
                if (winner.Value is null)
                {
                    _logger.LogDebug("Dispatcher definition does not contain matching topic/target pair in section [{Section}]", section.Name);
                    outcome.Notes.Add("no key of the targets dispatcher matches the topic: nothing is sent");
                    return [];
                }

                raw = winner.Value;
                break;
            case TargetFunction when hooks?.Targets is { } function:
                raw = await CallTargetsAsync(hooks, function, section, topic, data, outcome).ConfigureAwait(false) ?? [];
                break;
            default:
                Problem(outcome, $"Topic target definition by function \"{((TargetFunction)section.Targets).FunctionName}\" in section \"{section.Name}\" is not bound to a user function");
                return [];
        }

        if (!AnyTemplated(raw))
        {
            return raw; // nothing to format: the section's own list, not a copy per message
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
                Counters.OnFormatFailure();
                _logger.LogError("{Problem} (section [{Section}], topic {Topic})", text, section.Name, topic);
                outcome.Problems.Add(text);
            }
        }

        return references;
    }

    /// <summary>The dispatcher's key that matches <paramref name="topic"/> first (a method of its own: a lambda over the
    /// topic in the caller allocated its closure for every message, dispatcher or not).</summary>
    private KeyValuePair<string, IReadOnlyList<string>> DispatchWinner(TopicSection section, string topic) =>
        _dispatchOrder[section].FirstOrDefault(e => TopicFilter.Matches(e.Key, topic));

    private static bool AnyTemplated(IReadOnlyList<string> references)
    {
        for (var i = 0; i < references.Count; i++)
        {
            if (references[i].Contains('{') || references[i].Contains('}'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The items step for one reference: one item per target it names.</summary>
    internal void AddItems(RouteContext context, string reference)
    {
        var (outcome, topic, payload, data) = (context.Outcome, context.Topic, context.Payload, context.Data);
        var resolved = _resolved.TryGetValue(reference, out var known) ? known : Resolve(reference);
        if (resolved.Service is not { } service || resolved.Targets is not { } targets)
        {
            Problem(outcome, string.Format(System.Globalization.CultureInfo.InvariantCulture, resolved.Error!, topic));
            return;
        }

        var binary = !service.DecodeUtf8 && outcome.Section.Format is null;
        var sharedMessage = binary ? Encoding.UTF8.GetString(payload.Span) : outcome.Message;
        if (outcome.Section.Overrides.Count == 0 && (binary ? payload.IsEmpty : string.IsNullOrEmpty(sharedMessage)))
        {
            Counters.OnEmptySuppressed();
            _logger.LogInformation("Notification suppressed. Reason: Payload is empty. service={Service}, topic={Topic}", service.Name, topic);
            outcome.Notes.Add($"{reference}: suppressed, the message is empty");
            return;
        }

        // When the message is the payload unchanged, its bytes are the payload's: no copy.
        ReadOnlyMemory<byte>? sharedBytes = null;
        for (var t = 0; t < targets.Count; t++)
        {
            var (target, bound) = targets[t];
            // format.SERVICE:TARGET, else format.SERVICE, else the route's (and the same for title).
            var overrides = outcome.Section.Overrides;
            TargetOverride? own = null;
            if (overrides.Count > 0)
            {
                var forTarget = target.Name is not null ? overrides.GetValueOrDefault($"{service.Name}:{target.Name}") : null;
                var forService = overrides.GetValueOrDefault(service.Name);
                own = new TargetOverride(forTarget?.Format ?? forService?.Format, forTarget?.Title ?? forService?.Title);
            }

            var message = own?.Format is { } format ? Render(format, data, outcome.PayloadText ?? "", outcome, $"format.{service.Name}")
                : sharedMessage;
            var title = own?.Title is { } ownTitle ? Render(ownTitle, data, outcome.Title, outcome, $"title.{service.Name}") : outcome.Title;
            var isBinary = binary && own?.Format is null;
            if (isBinary ? payload.IsEmpty : string.IsNullOrEmpty(message))
            {
                Counters.OnEmptySuppressed();
                _logger.LogInformation("Notification suppressed. Reason: Payload is empty. service={Service}, topic={Topic}", service.Name, topic);
                outcome.Notes.Add($"{(target.Name is null ? reference : $"{service.Name}:{target.Name}")}: suppressed, the message is empty");
                continue;
            }

            // The payload's own bytes stand for the text only when it was valid UTF-8: a repaired payload is
            // delivered as the text the log promises (U+FFFD where the invalid bytes were), not as the raw bytes.
            var messageBytes = isBinary || (!outcome.PayloadRepaired && ReferenceEquals(message, outcome.PayloadText)) ? payload
                : ReferenceEquals(message, sharedMessage) ? sharedBytes ??= Encoding.UTF8.GetBytes(message) : Encoding.UTF8.GetBytes(message);
            outcome.Items.Add(new RoutedItem(service, target, new DeliveryItem
            {
                Service = service.Name,
                Section = outcome.Section.Name,
                Target = target.Name,
                Addrs = target.Descriptor,
                Bound = bound,
                Config = service.Options,
                Topic = topic,
                Payload = payload,
                Data = data,
                Message = message,
                MessageBytes = messageBytes,
                IsBinary = isBinary,
                Title = title,
                Image = outcome.Image,
                Priority = outcome.Priority,
            }));
        }
    }

    /// <summary>A reference resolved to its service and targets, or an error text with <c>{0}</c> for the topic.</summary>
    private readonly record struct ResolvedReference(ServiceConfig? Service, IReadOnlyList<ResolvedTarget>? Targets, string? Error);

    /// <summary>A target of a reference and what its sink's binder bound it to (null without a binder).</summary>
    private readonly record struct ResolvedTarget(ServiceTarget Target, object? Bound);

    private ResolvedReference Resolve(string reference)
    {
        var parts = reference.Split(':');
        if (parts.Length > 2)
        {
            return new(null, null, $"Invalid topic target: {Escape(reference)}. Should be 'service:target'.");
        }

        if (!_services.TryGetValue(parts[0], out var service))
        {
            return new(null, null, $"Invalid configuration: Topic '{{0}}' points to non-existing service '{Escape(parts[0])}'");
        }

        if (parts.Length == 1)
        {
            return new(service, service.Targets.Select(t => Bind(service, t)).ToList(), null);
        }

        return service.FindTarget(parts[1]) is { } target
            ? new(service, [Bind(service, target)], null)
            : new(null, null, $"Invalid configuration: Topic '{{0}}' points to non-existing target '{Escape(parts[1])}' in service '{service.Name}'");

        ResolvedTarget Bind(ServiceConfig service, ServiceTarget target) => new(target, _bound?.GetValueOrDefault((service.Name, target.Name)));

        static string Escape(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
    }

    /// <summary>Every static reference of the configuration, resolved once (templated ones resolve per message).</summary>
    private Dictionary<string, ResolvedReference> ResolveStaticReferences(HubConfig config)
    {
        var references = config.Sections.Append(config.Failover).OfType<TopicSection>().SelectMany(section => section.Targets switch
        {
            TargetList list => list.References,
            TargetDispatch dispatch => dispatch.Entries.SelectMany(e => e.Value),
            _ => [],
        });
        var resolved = new Dictionary<string, ResolvedReference>(StringComparer.Ordinal);
        foreach (var reference in references.Where(r => !r.Contains('{') && !r.Contains('}')))
        {
            resolved.TryAdd(reference, Resolve(reference));
        }

        return resolved;
    }

    private void Problem(SectionOutcome outcome, string text)
    {
        _logger.LogError("{Problem}", text);
        outcome.Problems.Add(text);
    }

    /// <summary>
    /// Formats one field; when the format fails the field falls back (mqttwarn-compat §6.5): the failure is
    /// logged as a warning, counted, and recorded in the outcome so that <c>hub test</c> shows it.
    /// </summary>
    private string Render(string? format, IReadOnlyDictionary<string, object?> data, string fallback, SectionOutcome outcome, string key)
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
            Counters.OnFormatFailure();
            _logger.LogError("Formatting message with function failed: {Format} ({Key} in section [{Section}]: {Reason})", format, key, outcome.Section.Name, ex.Message);
            var result = PyValue.ExpandNewlines(fallback);
            Fallback(outcome, key, $"'{format}' failed: {ex.Message}", result);
            return result;
        }
    }

    /// <summary>Records a field that fell back to its default, for <c>hub test</c>.</summary>
    private void Fallback(SectionOutcome outcome, string key, string failure, string result)
    {
        if (!ExplainFallbacks)
        {
            return;
        }

        var what = key.StartsWith("format", StringComparison.Ordinal) ? $"the payload {PyValue.Repr(result)}" : PyValue.Repr(result);
        outcome.Fallbacks.Add($"{key} {failure}; falls back to {what}");
    }

    private int RenderPriority(SectionOutcome outcome, IReadOnlyDictionary<string, object?> data)
    {
        var section = outcome.Section;
        if (section.Priority is null)
        {
            return 0;
        }

        var text = Render(section.Priority, data, "0", outcome, "priority");
        var priority = PriorityConverter.ToPriority(text, out var ok);
        if (ok)
        {
            return priority;
        }

        Counters.OnFormatFailure();
        _logger.LogError("Failed to determine the priority, defaulting to zero (section [{Section}], value '{Value}')", section.Name, text);
        if (ExplainFallbacks)
        {
            outcome.Fallbacks.Add($"priority {PyValue.Repr(text)} is not an integer; falls back to 0");
        }

        return 0;
    }
}
