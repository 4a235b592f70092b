using System.Collections.Concurrent;
using System.Text;
using Hub.Config;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.PluginHost;

/// <summary>
/// Runs the stage plugins of a route (<c>stages = NAME, NAME</c> in a topic section, naming launched
/// <c>[config:NAME]</c> instances of filter, transform or analytics plugins) in order, after the data steps
/// and before rendering: a filter answering false drops the message for that route, a transform's keys are
/// merged into the data, analytics observe. Every call runs under the instance's timeout; a stage that
/// throws or times out is logged and counted, and the route goes on as if the stage were not there.
/// </summary>
public sealed class StageRunner
{
    public const string Key = "stages";

    private readonly Dictionary<TopicSection, Stage[]> _bySection = [];
    private readonly ILogger _logger;

    private StageRunner(ILogger logger) => _logger = logger;

    /// <summary>Per stage instance: calls that threw.</summary>
    public ConcurrentDictionary<string, long> Threw { get; } = new(StringComparer.Ordinal);

    /// <summary>Per stage instance: calls that did not finish within the timeout.</summary>
    public ConcurrentDictionary<string, long> TimedOut { get; } = new(StringComparer.Ordinal);

    /// <summary>The stage names of a section (empty when it has none).</summary>
    public static IReadOnlyList<string> Names(TopicSection section) =>
        section.Extra.TryGetValue(Key, out var text)
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    /// <summary>Binds every section's stages to instances; an unknown name or a non-stage plugin is a configuration error.</summary>
    public static (StageRunner Runner, List<ConfigDiagnostic> Errors) Create(
        HubConfig config, IReadOnlyDictionary<string, object> instances, Func<ServiceConfig, TimeSpan> timeout, ILogger logger)
    {
        var runner = new StageRunner(logger);
        var errors = new List<ConfigDiagnostic>();
        foreach (var section in config.Sections)
        {
            var stages = new List<Stage>();
            foreach (var name in Names(section))
            {
                if (config.FindService(name) is not { } service || !instances.TryGetValue(name, out var instance))
                {
                    errors.Add(new ConfigDiagnostic(section.Location, $"[{section.Name}]: stage '{name}' is not a launched [config:{name}] instance"));
                }
                else if (instance is not (IMessageFilter or IMessageTransform or IAnalytics))
                {
                    errors.Add(new ConfigDiagnostic(section.Location, $"[{section.Name}]: stage '{name}' is not a filter, transform or analytics plugin"));
                }
                else
                {
                    stages.Add(new Stage(name, instance, timeout(service)));
                }
            }

            if (stages.Count > 0)
            {
                runner._bySection[section] = [.. stages];
            }
        }

        return (runner, errors);
    }

    public bool HasStages(TopicSection section) => _bySection.ContainsKey(section);

    /// <summary>The section's stages, in order (empty when it has none): each is one step of the route.</summary>
    internal IReadOnlyList<Stage> StagesOf(TopicSection section) => _bySection.TryGetValue(section, out var stages) ? stages : [];

    /// <summary>
    /// Runs the section's stages on <paramref name="data"/> and waits for them: for callers off the message path
    /// (<c>hub test</c>, tests). Routing runs each stage as a step with <see cref="RunAsync"/>.
    /// </summary>
    public bool Run(TopicSection section, string topic, ReadOnlyMemory<byte> payload, bool retained, IDictionary<string, object?> data)
    {
        var run = RunAllAsync(section, topic, payload, retained, data);
        return run.IsCompletedSuccessfully ? run.Result : run.AsTask().GetAwaiter().GetResult();
    }

    private async ValueTask<bool> RunAllAsync(TopicSection section, string topic, ReadOnlyMemory<byte> payload, bool retained, IDictionary<string, object?> data)
    {
        foreach (var stage in StagesOf(section))
        {
            if (!await RunAsync(stage, section, topic, payload, retained, data).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Runs one stage on <paramref name="data"/> (merging a transform's result into it); false when a filter dropped the
    /// message. A stage that completes synchronously costs no thread hop; another is awaited up to its timeout, never
    /// waited for on a blocked thread.
    /// </summary>
    internal async ValueTask<bool> RunAsync(Stage stage, TopicSection section, string topic, ReadOnlyMemory<byte> payload, bool retained, IDictionary<string, object?> data)
    {
        var message = new PipelineMessage
        {
            Topic = topic,
            Payload = payload,
            PayloadText = Encoding.UTF8.GetString(payload.Span),
            Retained = retained,
            Section = section.Name,
            Data = new Dictionary<string, object?>(data),
        };
        if (stage.Instance is IMessageFilter filter && await TryCallAsync(stage, topic, token => filter.AcceptAsync(message, token)).ConfigureAwait(false) is (true, false))
        {
            _logger.LogDebug("Stage {Stage} dropped the message on {Topic} for section [{Section}]", stage.Name, topic, section.Name);
            return false;
        }

        if (stage.Instance is IMessageTransform transform
            && await TryCallAsync(stage, topic, token => transform.TransformAsync(message, token)).ConfigureAwait(false) is (true, { } added))
        {
            foreach (var (key, value) in added)
            {
                data[key] = value;
            }
        }

        if (stage.Instance is IAnalytics analytics)
        {
            await TryCallAsync(stage, topic, async token =>
            {
                await analytics.ObserveAsync(message, token).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Calls one stage; (false, default) after logging and counting when it threw or timed out.</summary>
    private async ValueTask<(bool Ok, T Result)> TryCallAsync<T>(Stage stage, string topic, Func<CancellationToken, ValueTask<T>> call)
    {
        using var attempt = new CancellationTokenSource(stage.Timeout);
        try
        {
            var pending = call(attempt.Token);
            var result = pending.IsCompleted ? await pending.ConfigureAwait(false) : await pending.AsTask().WaitAsync(stage.Timeout).ConfigureAwait(false);
            return (true, result);
        }
        catch (TimeoutException)
        {
            TimedOut.AddOrUpdate(stage.Name, 1, (_, n) => n + 1);
            _logger.LogWarning("Stage {Stage} timed out after {Seconds} s on {Topic}; the route goes on without it", stage.Name, stage.Timeout.TotalSeconds, topic);
        }
        catch (Exception ex)
        {
            var reason = ex is AggregateException { InnerException: { } inner } ? inner.Message : ex.Message;
            Threw.AddOrUpdate(stage.Name, 1, (_, n) => n + 1);
            _logger.LogWarning("Stage {Stage} failed on {Topic}; the route goes on without it: {Reason}", stage.Name, topic, reason);
        }

        return (false, default!);
    }

    /// <summary>One stage of a route: a launched filter, transform or analytics instance and its call timeout.</summary>
    internal sealed record Stage(string Name, object Instance, TimeSpan Timeout);
}
