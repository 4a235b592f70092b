using System.Threading.Channels;
using Hub.Config;
using Hub.Graph;
using Hub.Pipeline;
using Hub.PluginHost;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>
/// Hot reload: SIGHUP (always), or a change to what the configuration is made of when <c>hot_reload = true</c>
/// (<see cref="ReloadWatcher"/>; skipped when the configuration and the plugin files are as running).
/// </summary>
public sealed partial class HubRuntime
{
    private readonly Channel<ReloadRequest> _reloadRequests = Channel.CreateUnbounded<ReloadRequest>(new UnboundedChannelOptions { SingleReader = true });
    private long _reloads;

    // While the watcher runs: what the running configuration was read from, and its fingerprint.
    private ReloadWatcher? _watcher;
    private ReloadInputs? _inputs;
    private string? _fingerprint;

    /// <summary>The generation in force (for tests).</summary>
    internal HubGeneration Current => _current;

    /// <summary>Completed reloads (successful swaps).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Asks for a reload (SIGHUP); requests that arrive while one runs are merged into the next.</summary>
    public void RequestReload(string reason) => _reloadRequests.Writer.TryWrite(new ReloadRequest(reason, OnlyIfChanged: false));

    /// <summary>As <see cref="RequestReload"/>, skipped when the configuration and the plugin files are as running (the watcher's request).</summary>
    private void RequestReloadIfChanged(string reason) => _reloadRequests.Writer.TryWrite(new ReloadRequest(reason, OnlyIfChanged: true));

    /// <summary>Starts the watcher when <c>hot_reload</c> is on (null otherwise); the caller disposes it when the hub stops.</summary>
    private ReloadWatcher? StartReloadWatcher(HubConfig config)
    {
        if (!config.Defaults.HotReload)
        {
            return null;
        }

        _inputs = ReloadInputs.Of(config);
        _fingerprint = ConfigFingerprint.Of(_inputs);
        return _watcher = new ReloadWatcher(_inputs, _time, RequestReloadIfChanged);
    }

    /// <summary>Runs the requested reloads one after the other until <paramref name="stopping"/> is cancelled.</summary>
    internal async Task ProcessReloadsAsync(CancellationToken stopping)
    {
        var reader = _reloadRequests.Reader;
        while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            var requests = new List<ReloadRequest>();
            while (reader.TryRead(out var request))
            {
                requests.Add(request);
            }

            var reason = string.Join("; ", requests.Select(r => r.Reason).Distinct(StringComparer.Ordinal));
            await ReloadAsync(reason, requests.TrueForAll(r => r.OnlyIfChanged), stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Loads the configuration and the plugins again, into new collectible contexts, and switches to them:
    /// new messages go to the new generation at once; the old one delivers what it had queued, then its
    /// plugins are disposed and their contexts unloaded. The new workers start only after the old queues
    /// are drained, so the order of messages per target holds across the switch. On any error the old
    /// generation stays in force.
    /// </summary>
    public Task<bool> ReloadAsync(string reason, CancellationToken cancellationToken = default) => ReloadAsync(reason, onlyIfChanged: false, cancellationToken);

    /// <summary>
    /// As <see cref="ReloadAsync(string, CancellationToken)"/>; with <paramref name="onlyIfChanged"/>, a reload that would
    /// read the same configuration and the same plugin files (<see cref="ConfigFingerprint"/>) is skipped with one DEBUG line.
    /// </summary>
    private async Task<bool> ReloadAsync(string reason, bool onlyIfChanged, CancellationToken cancellationToken)
    {
        var old = _current;

        // Taken before loading: a file that changes while the reload reads it makes the next fingerprint differ.
        var fingerprint = _inputs is null ? null : ConfigFingerprint.Of(_inputs);
        if (onlyIfChanged && fingerprint is not null && fingerprint == _fingerprint)
        {
            _logger.LogDebug("Reload skipped ({Reason}): the configuration and the plugin files are as running", reason);
            return false;
        }

        _logger.LogInformation("Reloading ({Reason})", reason);
        var built = GraphBuilder.Build(old.Config.FilePath, ReloadEnvironment);
        foreach (var warning in built.Warnings)
        {
            _logger.LogWarning("Reload: {Warning}", warning.ToString());
        }

        (HubGeneration? Generation, IReadOnlyList<ConfigDiagnostic> Errors) started = built.Graph is { } graph ? Start(graph) : (null, built.Errors.ToList());
        var (generation, errors) = started;
        if (generation is null)
        {
            built.Graph?.Catalog.Unload();
            foreach (var error in errors)
            {
                _logger.LogError("Reload failed, keeping the running configuration: {Error}", error.ToString());
            }

            return false;
        }

        var config = generation.Config;
        WarnAboutWhatNeedsARestart(old.Config, config);
        if (_alarms is null)
        {
            StartAlarms(config);
        }
        else
        {
            _alarms.Reload(config);
        }

        _rules = RuleRunner.Next(_rules, config, AlarmLifecycle, SeasonalProfiles, _time, _loggers.CreateLogger("hub.rules"));
        Analytics.Rules.AnalyticsHost.AttachAll(generation.Services.Instances, AlarmLifecycle, _time, SeasonalProfiles);
        _client.Subscriptions = Subscriptions(config);
        _current = generation;
        _history?.Update(config.History);
        if (_connected)
        {
            generation.Watchdogs.Start();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(old.Config.Defaults.ShutdownTimeout), _time);
        try
        {
            await old.RetireAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Reload: the previous plugins did not deliver {Pending} queued notifications within shutdown_timeout",
                old.Queues.Values.Sum(q => q.Pending));
        }

        generation.CarryOver(old);
        generation.Cron.ContinueFrom(old.Cron);
        generation.Start();
        await old.DisposeAsync(unload: true).ConfigureAwait(false);
        RememberInputs(config, fingerprint);
        Interlocked.Increment(ref _reloads);
        _logger.LogInformation("Reloaded: {Sections} topic sections, {Targets} targets, {Plugins} plugins",
            config.Sections.Count, generation.Queues.Count, generation.Catalog.Plugins.Count);
        return true;
    }

    /// <summary>After a reload: the watcher watches what the new configuration is made of, and compares with its fingerprint.</summary>
    private void RememberInputs(HubConfig config, string? fingerprintBeforeLoading)
    {
        if (_watcher is null || _inputs is null)
        {
            return;
        }

        var inputs = ReloadInputs.Of(config);
        _fingerprint = inputs.SameFilesAs(_inputs) ? fingerprintBeforeLoading : ConfigFingerprint.Of(inputs);
        _inputs = inputs;
        try
        {
            _watcher.Update(inputs);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Hot reload: cannot watch the files of the reloaded configuration, still watching the previous ones: {Reason}", ex.Message);
        }
    }

    private void WarnAboutWhatNeedsARestart(HubConfig before, HubConfig after)
    {
        var (b, a) = (before.Defaults, after.Defaults);
        if (b.Hostname != a.Hostname || b.Port != a.Port || b.ClientId != a.ClientId || b.Username != a.Username || b.Password != a.Password
            || b.Tls != a.Tls || b.Protocol != a.Protocol || b.KeepAlive != a.KeepAlive || b.CleanSession != a.CleanSession || b.Lwt != a.Lwt)
        {
            _logger.LogWarning("Reload: broker connection settings changed; they take effect when the hub restarts");
        }

        if (b.HotReload != a.HotReload)
        {
            _logger.LogWarning("Reload: hot_reload changed; it takes effect when the hub restarts");
        }

        if (!Subscriptions(before).SequenceEqual(Subscriptions(after)))
        {
            _logger.LogWarning("Reload: the topic subscriptions changed; they take effect at the next connection to the broker");
        }
    }

    /// <summary>One reload request: SIGHUP reloads whatever changed; the watcher's requests only when something did.</summary>
    private readonly record struct ReloadRequest(string Reason, bool OnlyIfChanged);
}
