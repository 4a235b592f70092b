using System.Threading.Channels;
using Hub.Config;
using Hub.PluginHost;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>Hot reload: SIGHUP, or a changed plugin or configuration file when <c>hot_reload = true</c>.</summary>
public sealed partial class HubRuntime
{
    private long _reloads;

    /// <summary>The generation in force (for tests).</summary>
    internal HubGeneration Current => _current;

    /// <summary>Completed reloads (successful swaps).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Asks for a reload; requests that arrive while one runs are merged into the next.</summary>
    public void RequestReload(string reason) => _reloadRequests.Writer.TryWrite(reason);

    private async Task ProcessReloadsAsync(CancellationToken stopping)
    {
        var reader = _reloadRequests.Reader;
        while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            var reasons = new List<string>();
            while (reader.TryRead(out var reason))
            {
                reasons.Add(reason);
            }

            await ReloadAsync(string.Join("; ", reasons.Distinct(StringComparer.Ordinal)), stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Loads the configuration and the plugins again, into new collectible contexts, and switches to them:
    /// new messages go to the new generation at once; the old one delivers what it had queued, then its
    /// plugins are disposed and their contexts unloaded. The new workers start only after the old queues
    /// are drained, so the order of messages per target holds across the switch. On any error the old
    /// generation stays in force.
    /// </summary>
    public async Task<bool> ReloadAsync(string reason, CancellationToken cancellationToken = default)
    {
        var old = _current;
        _logger.LogInformation("Reloading ({Reason})", reason);
        var loaded = ConfigLoader.Load(old.Config.FilePath);
        if (loaded.Config is null)
        {
            foreach (var error in loaded.Errors)
            {
                _logger.LogError("Reload failed, keeping the running configuration: {Error}", error.ToString());
            }

            return false;
        }

        var config = loaded.Config;
        var catalog = PluginCatalog.Discover(ServiceInstances.PluginDirectories(config));
        foreach (var error in catalog.Errors)
        {
            _logger.LogWarning("Plugin not loaded: {Path}: {Reason}", error.Path, error.Reason);
        }

        var (generation, errors) = Build(config, catalog);
        if (generation is null)
        {
            catalog.Unload();
            foreach (var error in errors)
            {
                _logger.LogError("Reload failed, keeping the running configuration: {Error}", error.ToString());
            }

            return false;
        }

        WarnAboutWhatNeedsARestart(old.Config, config);
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
        generation.Start();
        await old.DisposeAsync(unload: true).ConfigureAwait(false);
        Interlocked.Increment(ref _reloads);
        _logger.LogInformation("Reloaded: {Sections} topic sections, {Targets} targets, {Plugins} plugins",
            config.Sections.Count, generation.Queues.Count, catalog.Plugins.Count);
        return true;
    }

    private void WarnAboutWhatNeedsARestart(HubConfig before, HubConfig after)
    {
        var (b, a) = (before.Defaults, after.Defaults);
        if (b.Hostname != a.Hostname || b.Port != a.Port || b.ClientId != a.ClientId || b.Username != a.Username || b.Password != a.Password
            || b.Tls != a.Tls || b.Protocol != a.Protocol || b.KeepAlive != a.KeepAlive || b.CleanSession != a.CleanSession || b.Lwt != a.Lwt)
        {
            _logger.LogWarning("Reload: broker connection settings changed; they take effect when the hub restarts");
        }

        if (!Subscriptions(before).SequenceEqual(Subscriptions(after)))
        {
            _logger.LogWarning("Reload: the topic subscriptions changed; they take effect at the next connection to the broker");
        }
    }
}
