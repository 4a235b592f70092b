using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Config;
using Hub.Formatting;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// Items a target gave up on and no failover took, with the reason: one JSON file each in
/// <c>STATE_DIR/dead-letters/</c>, written atomically (a temporary file, flushed to disk, then renamed),
/// so a crash never leaves half a letter. <c>hub dlq list|replay|purge</c> read them.
/// </summary>
public sealed class DeadLetterStore(string directory, TimeProvider time)
{
    private static long _sequence;

    public string Directory { get; } = directory;

    /// <summary>The store of a configuration: <c>dead-letters/</c> in its state directory.</summary>
    public static DeadLetterStore For(HubConfig config, TimeProvider? time = null) =>
        new(Path.Combine(config.Defaults.StateDirectory ?? Path.Combine(config.Directory, ".hub-state"), "dead-letters"), time ?? TimeProvider.System);

    /// <summary>Stores one letter; returns its id.</summary>
    public string Add(DeliveryItem item, string reason)
    {
        ArgumentNullException.ThrowIfNull(item);
        var at = time.GetUtcNow();
        var id = string.Create(CultureInfo.InvariantCulture, $"{at:yyyyMMdd'T'HHmmss'.'fff}-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence):D6}");
        var letter = ItemJson.ToJson(item);
        letter["id"] = id;
        letter["at"] = at.ToString("O", CultureInfo.InvariantCulture);
        letter["reason"] = reason;
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, id + ".json");
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(Encoding.UTF8.GetBytes(letter.ToJsonString()));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);
        return id;
    }

    /// <summary>Every letter, oldest first; <paramref name="target"/> (<c>SERVICE</c> or <c>SERVICE:TARGET</c>) narrows them. Unreadable files are reported, not thrown.</summary>
    public IReadOnlyList<DeadLetter> List(string? target = null) => Read(target, problems: null);

    public IReadOnlyList<DeadLetter> Read(string? target, List<string>? problems)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var letters = new List<DeadLetter>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var letter = DeadLetter.Parse(path, File.ReadAllBytes(path));
                if (target is null || letter.Matches(target))
                {
                    letters.Add(letter);
                }
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or NullReferenceException or IOException)
            {
                problems?.Add($"{path}: not a readable dead letter ({ex.Message})");
            }
        }

        return letters;
    }

    public static void Remove(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        File.Delete(letter.Path);
    }

}

/// <summary>One dead letter as stored.</summary>
public sealed record DeadLetter(
    string Path, string Id, DateTimeOffset At, string Service, string? Target, string Section, string Topic, string Reason,
    string Title, int Priority, string Image, string Message, bool IsBinary, byte[] Payload, byte[] MessageBytes,
    IReadOnlyDictionary<string, object?> Data)
{
    public string DisplayTarget => Target is null ? Service : $"{Service}:{Target}";

    /// <summary><c>SERVICE</c> matches all its targets; <c>SERVICE:TARGET</c> one.</summary>
    public bool Matches(string target) => target.Contains(':', StringComparison.Ordinal) ? DisplayTarget == target : Service == target;

    /// <summary>The item to deliver again, with the target's current descriptor and options.</summary>
    public DeliveryItem ToItem(ServiceConfig service, ServiceTarget target) => ItemJson.Bind(new DeliveryItem
    {
        Service = Service,
        Section = Section,
        Target = Target,
        Topic = Topic,
        Payload = Payload,
        Data = Data,
        Message = Message,
        MessageBytes = MessageBytes,
        IsBinary = IsBinary,
        Title = Title,
        Image = Image,
        Priority = Priority,
    }, service, target);

    public static DeadLetter Parse(string path, byte[] json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var item = ItemJson.FromJson(root);
        return new DeadLetter(
            path, root["id"]?.GetValue<string>() ?? "", DateTimeOffset.Parse(root["at"]?.GetValue<string>() ?? "", CultureInfo.InvariantCulture),
            item.Service, item.Target, item.Section, item.Topic, root["reason"]?.GetValue<string>() ?? "", item.Title, item.Priority, item.Image,
            item.Message, item.IsBinary, item.Payload.ToArray(), item.MessageBytes.ToArray(), item.Data);
    }
}
