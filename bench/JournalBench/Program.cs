using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.Delivery;
using Hub.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

// journal bench: a durable target's journal alone, on the disk of DIRECTORY. Appends ITEMS items as the hub does under
// load (many in flight, group commit), then reopens the journal and reads them all back in order (a restart, or a
// backlog draining). Prints one tab-separated line: items, bytes, append s, replay s, the largest heap during replay,
// then the process's CPU time (all threads: the writer's too) and the bytes allocated (all threads), per item, for the
// append and for the replay: the per-item cost, which wall-clock rates on a shared machine do not show. The items are
// built before the clock starts (1,024 of them, appended in turn), so only the journal's work is counted.
// With --backlog N: instead, N items go to a durable TargetQueue (max_queue 10,000) whose target is down, and it prints
// the managed heap before and after (full collections) and the journal's bytes: a backlog's cost in memory and on disk.
// Usage: JournalBench DIRECTORY [ITEMS (200000)] [IN_FLIGHT (1000)] | JournalBench DIRECTORY --backlog N
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var directory = args[0];
var backlog = args.Length > 2 && args[1] == "--backlog";
var items = args.Length > 1 && !backlog ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
var inFlight = args.Length > 2 && !backlog ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var path = Path.Combine(directory, "bench.journal");
File.Delete(path);
if (backlog)
{
    return await BacklogAsync(int.Parse(args[2], CultureInfo.InvariantCulture));
}

// What a QoS 1 route to a file gives a target: the ~60-byte JSON line, its message, and the transformation data.
DeliveryItem Item(int n)
{
    var payload = $"{{\"n\":{n},\"sensor\":\"hall\",\"temperature\":21.5,\"unit\":\"C\"}}";
    return new DeliveryItem
    {
        Service = "file", Target = "out", Section = "bench/#", Topic = "bench/data", Message = payload, Payload = Encoding.UTF8.GetBytes(payload),
        MessageBytes = Encoding.UTF8.GetBytes(payload),
        Data = new Dictionary<string, object?>
        {
            ["topic"] = "bench/data", ["payload"] = payload, ["_dtepoch"] = 1_700_000_000L + n, ["_dtiso"] = "2026-12-07T17:00:00.000000Z",
            ["_ltiso"] = "2026-12-07T18:00:00.000000+01:00", ["_dthhmm"] = "17:00", ["_dthhmmss"] = "17:00:00", ["n"] = (long)n,
            ["sensor"] = "hall", ["temperature"] = 21.5, ["unit"] = "C",
        },
    };
}

var built = Enumerable.Range(0, 1024).Select(n => new QueuedItem(Item(n), DateTimeOffset.UtcNow)).ToArray();
var journal = TargetJournal.Open(path, NullLogger.Instance);
var window = new Queue<Task>();
var (cpu, allocated) = Cost();
var clock = Stopwatch.StartNew();
for (var n = 0; n < items; n++)
{
    var queued = built[n % built.Length];
    window.Enqueue(journal.Append(queued).Durable);
    if (window.Count >= inFlight)
    {
        await window.Dequeue();
    }
}

await Task.WhenAll(window);
var append = clock.Elapsed.TotalSeconds;
var appendCost = Per(Cost(), (cpu, allocated), items);
var bytes = journal.PendingBytes;
await journal.DisposeAsync();

(cpu, allocated) = Cost();
clock.Restart();
journal = TargetJournal.Open(path, NullLogger.Instance);
var read = new List<QueuedItem>(1024);
var from = journal.FirstPending;
long count = 0, peak = 0;
while (true)
{
    read.Clear();
    from = journal.Read(from, 1024, read);
    if (read.Count == 0)
    {
        break;
    }

    count += read.Count;
    peak = Math.Max(peak, GC.GetTotalMemory(false));
}

var replay = clock.Elapsed.TotalSeconds;
var replayCost = Per(Cost(), (cpu, allocated), items);
await journal.DisposeAsync();
File.Delete(path);
if (count != items)
{
    Console.Error.WriteLine($"journal bench: read back {count} of {items} items");
    return 1;
}

Console.WriteLine($"{items}\t{bytes}\t{append:0.000}\t{replay:0.000}\t{peak}\t{appendCost.Micros:0.00}\t{appendCost.Bytes:0}\t{replayCost.Micros:0.00}\t{replayCost.Bytes:0}");
return 0;

static (TimeSpan Cpu, long Allocated) Cost() => (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));

static (double Micros, double Bytes) Per((TimeSpan Cpu, long Allocated) now, (TimeSpan Cpu, long Allocated) then, int count) =>
    ((now.Cpu - then.Cpu).TotalMicroseconds / count, (now.Allocated - then.Allocated) / (double)count);

async Task<int> BacklogAsync(int count)
{
    var policy = new DeliveryPolicy { Durable = true, MaxQueue = 10_000, Retries = 1000, Backoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1), MaxAge = TimeSpan.FromDays(1) };
    var sink = new RunningSink("file", new DownSink(), TimeSpan.FromSeconds(30), NullLogger.Instance);
    using var stop = new CancellationTokenSource();
    await using var journals = new JournalSet(directory, NullLogger.Instance);
    var queue = new TargetQueue("file", "out", sink, policy.MaxQueue, policy);
    queue.Journal = journals.Open("file", "out");
    queue.Start(stop.Token);
    var before = GC.GetTotalMemory(forceFullCollection: true);
    for (var n = 0; n < count; n++)
    {
        await queue.EnqueueAsync(Item(n), CancellationToken.None);
    }

    // Until every record is on disk (the writer may lag behind the appends: those are held in memory meanwhile).
    var file = Path.Combine(directory, "file", "out.journal");
    while (queue.Journal.PendingCount < count || new FileInfo(file).Length < queue.Journal.PendingBytes)
    {
        await Task.Delay(100);
    }

    var after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"{count}\t{queue.Counters.BacklogItems}\t{before}\t{after}\t{queue.Journal.PendingBytes}\t{(after - before) / (double)count:0.0}");
    await stop.CancelAsync();
    return 0;
}

/// <summary>A target that is down: every attempt fails as an HTTP 503 would.</summary>
internal sealed class DownSink : ISink
{
    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => throw new TransientDeliveryException("HTTP 503");
}
