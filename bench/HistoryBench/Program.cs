using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.History;
using Microsoft.Extensions.Logging.Abstractions;

// The embedded history's figures: store ingest, recorder ingest (message in, point on disk), bytes per raw
// point, a 24 h query of a 1 s series reduced to 500 points (p50/p99 of 100), and the open time of a store
// with the points written. Usage: HistoryBench [POINTS (10000000)] [DIRECTORY (a temp folder)]
var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000_000;
var directory = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), $"history-bench-{Environment.ProcessId}");
Directory.CreateDirectory(directory);
var path = Path.Combine(directory, "history.db");
File.Delete(path);
const int Series = 10;
var start = DateTimeOffset.UtcNow.AddSeconds(-(total / Series) - 60);
start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
void Say(string line) => Console.WriteLine(line);

// 1. The store's write path: batches of 10,000 points (the default batch_size), 10 series at 1 point/s each.
var clock = Stopwatch.StartNew();
using (var store = HistoryStore.Open(path))
{
    var batch = new List<HistoryPoint>(10_000);
    for (var i = 0; i < total; i++)
    {
        var series = i % Series;
        batch.Add(new HistoryPoint($"bench/sensor{series}/temperature", "value", "", start.AddSeconds(i / Series).ToUnixTimeMilliseconds(), 20 + Math.Sin(i / 1000.0)));
        if (batch.Count == 10_000)
        {
            store.Write(batch);
            batch.Clear();
        }
    }

    store.Write(batch);
}

var ingest = total / clock.Elapsed.TotalSeconds;
Say(string.Create(CultureInfo.InvariantCulture, $"store ingest: {total:N0} points in {clock.Elapsed.TotalSeconds:0.0} s = {ingest:N0} points/s (10 series, batches of 10,000, rollups included)"));

// 2. Bytes on disk per raw point (after a checkpoint folds the WAL into the file; rollups and series included).
using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
{
    connection.Open();
    using var checkpoint = connection.CreateCommand();
    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
    checkpoint.ExecuteNonQuery();
}

var bytes = new FileInfo(path).Length;
Say(string.Create(CultureInfo.InvariantCulture, $"on disk: {bytes / 1048576.0:0.0} MiB = {(double)bytes / total:0.0} bytes per raw point (points + 1 m and 1 h rollups)"));

// 3. Open time of the filled store: open, list the series, read one last value.
clock.Restart();
using (var reopened = HistoryStore.Open(path))
{
    _ = reopened.Last("bench/sensor0/temperature");
}

Say(string.Create(CultureInfo.InvariantCulture, $"open with {total:N0} points: {clock.Elapsed.TotalMilliseconds:0} ms (open, schema check, series list, a last value)"));

// 4. 24 h of one series at 1 s (86,400 points) reduced to 500 steps, 100 times, auto (1-minute rollups) and from the raw points.
using (var store = HistoryStore.Open(path))
{
    var end = start.AddSeconds(total / Series);
    foreach (var resolution in new[] { HistoryResolution.Auto, HistoryResolution.Raw })
    {
        var times = new List<double>();
        var samples = 0;
        HistoryResolution used = default;
        for (var q = 0; q < 100; q++)
        {
            var to = end.AddSeconds(-q * 600);
            clock.Restart();
            var result = store.Query("bench/sensor0/temperature#value", to.AddDays(-1), to, TimeSpan.FromSeconds(86_400 / 500.0), HistoryAggregate.Mean, resolution);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (q == 0)
            {
                (samples, used) = (result.Samples.Count, result.Resolution);
            }
        }

        times.Sort();
        Say(string.Create(CultureInfo.InvariantCulture, $"24 h query to 500 points ({resolution} -> {used}, {samples} samples): p50 {times[49]:0.00} ms, p99 {times[98]:0.00} ms"));
    }
}

// 5. The recorder: message in on the caller's thread, point on disk from the writer (JSON parse + extraction included).
var recorderPath = Path.Combine(directory, "recorder.db");
File.Delete(recorderPath);
// A burst the queue holds whole (no drops): the figure is how fast the writer drains it.
var messages = Math.Min(total, 1_000_000);
var payloads = Enumerable.Range(0, 1000).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($$"""{"temperature": {{20 + i / 100.0}}, "device": "d{{i % 10}}"}""")).ToArray();
var options = new HistoryOptions
{
    Path = recorderPath,
    QueueSize = messages,
    Rules = [new HistoryRule { Name = "t", Topic = "bench/+/temperature", Kind = HistoryValueKind.Field, Expression = "temperature", Field = "temperature" }],
};
var recorder = HistoryRecorder.Start(options, NullLogger.Instance);
clock.Restart();
var recordTicks = Stopwatch.StartNew();
for (var i = 0; i < messages; i++)
{
    recorder.Record($"bench/sensor{i % Series}/temperature", payloads[i % payloads.Length]);
}

var onPath = recordTicks.Elapsed.TotalMilliseconds * 1_000_000 / messages;
await recorder.DisposeAsync();
var recorded = recorder.Written / clock.Elapsed.TotalSeconds;
Say(string.Create(CultureInfo.InvariantCulture, $"recorder: {messages:N0} JSON messages -> {recorder.Written:N0} points in {clock.Elapsed.TotalSeconds:0.0} s = {recorded:N0} points/s; {recorder.Dropped:N0} dropped; {onPath:0} ns per Record call on the message path"));
Directory.Delete(directory, recursive: true);
