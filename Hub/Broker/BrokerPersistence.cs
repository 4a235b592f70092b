using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>
/// Keeps persistent sessions (subscriptions, queued and in-flight messages, QoS 2 ids) and retained messages in
/// <c>broker.json</c> under the persistence directory. Written whole to a temporary file, flushed to disk and
/// renamed over the old one, so a crash at any moment leaves the previous or the new state, never half of one.
/// Written every <see cref="BrokerOptions.AutosaveInterval"/> when something changed, and on shutdown.
/// </summary>
internal sealed class BrokerPersistence(BrokerEngine engine, string directory) : IAsyncDisposable
{
    private const string FileName = "broker.json";
    private readonly Lock _saveGate = new();
    private ITimer? _timer;

    public string FilePath => Path.Combine(directory, FileName);

    public void Start() =>
        _timer = engine.Time.CreateTimer(_ => SaveIfChanged(), null, engine.Options.AutosaveInterval, engine.Options.AutosaveInterval);

    public void Load()
    {
        if (!File.Exists(FilePath))
        {
            return;
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
            var retained = 0;
            foreach (var node in root["retained"]!.AsArray())
            {
                engine.Retained.Set(BrokerJson.ReadMessage(node!.AsObject()));
                retained++;
            }

            var sessions = 0;
            foreach (var node in root["sessions"]!.AsArray())
            {
                engine.Restore(BrokerJson.ReadSession(node!.AsObject(), engine.Options));
                sessions++;
            }

            engine.Retained.Dirty = false;
            engine.Logger.LogInformation("Broker state restored from {Path}: {Sessions} sessions, {Retained} retained messages", FilePath, sessions, retained);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or NullReferenceException or IOException)
        {
            // An unreadable file must not stop the broker; keep it aside for inspection.
            var aside = FilePath + ".corrupt";
            File.Move(FilePath, aside, overwrite: true);
            engine.Logger.LogError("Broker state in {Path} is unreadable ({Error}); starting empty, the file is kept as {Aside}", FilePath, ex.Message, aside);
        }
    }

    public void SaveIfChanged()
    {
        var sessions = engine.Sessions;
        if (!engine.Retained.Dirty && !engine.SessionsRemoved && !sessions.Any(s => s.Dirty))
        {
            return;
        }

        Save(sessions);
    }

    private void Save(List<BrokerSession> sessions)
    {
        lock (_saveGate)
        {
            try
            {
                engine.SessionsRemoved = false;
                engine.Retained.Dirty = false;
                var retained = new JsonArray();
                foreach (var message in engine.Retained.All.Where(m => !m.Topic.StartsWith("$SYS", StringComparison.Ordinal)))
                {
                    retained.Add(BrokerJson.WriteMessage(message));
                }

                var persisted = new JsonArray();
                foreach (var session in sessions.Where(s => s.ExpiryInterval != 0))
                {
                    persisted.Add(BrokerJson.WriteSession(session));
                }

                var root = new JsonObject { ["version"] = 1, ["retained"] = retained, ["sessions"] = persisted };
                Directory.CreateDirectory(directory);
                var temporary = FilePath + ".tmp";
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(Encoding.UTF8.GetBytes(root.ToJsonString()));
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, FilePath, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                engine.SessionsRemoved = true; // try again next time
                engine.Logger.LogError("Saving the broker state to {Path} failed: {Error}", FilePath, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        Save(engine.Sessions);
    }
}
