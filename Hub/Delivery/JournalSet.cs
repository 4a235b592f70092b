using Hub.Config;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Delivery;

/// <summary>
/// The journals of durable targets, kept open across hot reloads (a new generation takes over the same
/// journal): <c>STATE_DIR/journal/SERVICE/TARGET.journal</c>. What a journal held at start is handed out
/// to each generation that opens it, as its backlog (items still pending in the generation before are in it too).
/// </summary>
public sealed class JournalSet(string directory, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<string, TargetJournal> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Directory { get; } = directory;

    public static JournalSet For(HubConfig config, ILogger logger) =>
        new(Path.Combine(config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state"), "journal"), logger);

    /// <summary>The journal of a target (what it holds pending, from a previous run or generation, is the target's backlog).</summary>
    public TargetJournal Open(string service, string? target)
    {
        var path = Path.Combine(Directory, Safe(service), Safe(target ?? "_") + ".journal");
        lock (_gate)
        {
            if (_open.TryGetValue(path, out var journal))
            {
                return journal;
            }

            journal = TargetJournal.Open(path, logger);
            _open[path] = journal;
            return journal;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<TargetJournal> journals;
        lock (_gate)
        {
            journals = [.. _open.Values];
            _open.Clear();
        }

        foreach (var journal in journals)
        {
            await journal.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Safe(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
