using Hub.Config;
using Hub.Mqtt;
using Hub.Routing;
using Microsoft.Extensions.Logging;

namespace Hub.Pipeline;

/// <summary>
/// The timeout watchdog of topic sections (<c>timeout = N</c>, mqttwarn-compat §8.5): one per distinct
/// filter, owned by the first section with that filter. Every matching message restarts the countdown;
/// N seconds of silence route <c>Timeout for topic FILTER after N</c> through the owning section, again
/// every N seconds. With <c>notify_only_on_timeout</c> the owning section gets no normal messages, only
/// the timeouts and, after a timeout, <c>Message received for topic FILTER within N</c>.
/// Running while connected: <see cref="Start"/> on connect, <see cref="Stop"/> on disconnect.
/// </summary>
public sealed class Watchdogs : IDisposable
{
    private readonly List<Watchdog> _watchdogs;
    private readonly MessageRouter _router;
    private readonly Func<SectionOutcome, ValueTask> _deliver;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Watchdogs(HubConfig config, MessageRouter router, Func<SectionOutcome, ValueTask> deliver, TimeProvider time, ILogger logger)
    {
        _router = router;
        _deliver = deliver;
        _time = time;
        _logger = logger;
        _watchdogs = config.Sections
            .Where(s => s.Timeout is > 0)
            .GroupBy(s => s.Topic, StringComparer.Ordinal)
            .Select(g => new Watchdog(g.First()))
            .ToList();
    }

    /// <summary>Sections that take no normal messages (they own a notify_only_on_timeout watchdog).</summary>
    public static IReadOnlySet<TopicSection> TimeoutOnlySections(HubConfig config) =>
        config.Sections.Where(s => s.Timeout is > 0)
            .GroupBy(s => s.Topic, StringComparer.Ordinal)
            .Select(g => g.First())
            .Where(s => s.NotifyOnlyOnTimeout)
            .ToHashSet();

    public int Count => _watchdogs.Count;

    public void Start()
    {
        foreach (var watchdog in _watchdogs)
        {
            lock (watchdog)
            {
                watchdog.Timer?.Dispose();
                var period = TimeSpan.FromSeconds(watchdog.Seconds);
                watchdog.Timer = _time.CreateTimer(_ => Fire(watchdog), null, period, period);
            }
        }
    }

    public void Stop()
    {
        foreach (var watchdog in _watchdogs)
        {
            lock (watchdog)
            {
                watchdog.Timer?.Dispose();
                watchdog.Timer = null;
            }
        }
    }

    /// <summary>Called for every received message (after the retained check, before section matching).</summary>
    public async ValueTask OnMessageAsync(string topic)
    {
        foreach (var watchdog in _watchdogs)
        {
            if (!TopicFilter.Matches(watchdog.Section.Topic, topic))
            {
                continue;
            }

            bool announce;
            lock (watchdog)
            {
                var period = TimeSpan.FromSeconds(watchdog.Seconds);
                watchdog.Timer?.Change(period, period);
                announce = watchdog.Section.NotifyOnlyOnTimeout && watchdog.TimedOut;
                watchdog.TimedOut = false;
            }

            if (announce)
            {
                await Emit(watchdog, $"Message received for topic {watchdog.Section.Topic} within {watchdog.Seconds}").ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => Stop();

    private void Fire(Watchdog watchdog)
    {
        lock (watchdog)
        {
            if (watchdog.Timer is null)
            {
                return;
            }

            watchdog.TimedOut = true;
        }

        _logger.LogInformation("Timeout for topic {Filter} after {Seconds} s", watchdog.Section.Topic, watchdog.Seconds);
        _ = Emit(watchdog, $"Timeout for topic {watchdog.Section.Topic} after {watchdog.Seconds}").AsTask();
    }

    private async ValueTask Emit(Watchdog watchdog, string text)
    {
        try
        {
            await _deliver(await _router.RouteSyntheticAsync(watchdog.Section, watchdog.Section.Topic, text).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Watchdog of [{Section}] failed to deliver", watchdog.Section.Name);
        }
    }

    private sealed class Watchdog(TopicSection section)
    {
        public TopicSection Section { get; } = section;
        public int Seconds { get; } = section.Timeout!.Value;
        public ITimer? Timer { get; set; }
        public bool TimedOut { get; set; } = true;
    }
}
