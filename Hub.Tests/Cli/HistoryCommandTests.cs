using System.Globalization;
using System.Text.Json;
using Hub.History;
using Hub.Tests.Support;
using Parquet;
using Parquet.Schema;

namespace Hub.Tests.Cli;

public sealed class HistoryCommandTests : IDisposable
{
    // Yesterday: recent enough for raw points and 1-minute rollups to be kept.
    private static readonly DateTimeOffset Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Import_fills_the_history_and_series_last_and_query_read_it_back_as_table_csv_and_json()
    {
        var db = _temp.File("h.db");
        var csv = _temp.Write("in.csv", "time,topic,field,value,tags\n" + string.Join('\n', Enumerable.Range(0, 7200).Select(i =>
            $"{Start.AddSeconds(i):O},home/kitchen/temperature,value,{(i / 60).ToString(CultureInfo.InvariantCulture)},\"{{\"\"room\"\": \"\"kitchen\"\"}}\"")) + "\n"
            + $"{Start.ToUnixTimeMilliseconds()},home/hall/temperature,,19.5,\n");

        var (code, output, error) = await CliRunner.RunAsync("history", "--path", db, "import", csv);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("Imported 7201 of 7201 points", output, StringComparison.Ordinal);

        (code, output, _) = await CliRunner.RunAsync("history", "--path", db, "series", "home/+/temperature");
        Assert.Equal(0, code);
        Assert.Matches(@"SERIES\s+TAGS\s+TIME\s+VALUE", output);
        Assert.Contains("home/hall/temperature#value", output, StringComparison.Ordinal);
        Assert.Matches($@"home/kitchen/temperature#value\s+\{{""room"": ""kitchen""\}}\s+{Iso(Start.AddSeconds(7199))}\s+119", output);

        (code, output, _) = await CliRunner.RunAsync("history", "--path", db, "last", "home/hall/#", "--format", "json");
        var last = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal(19.5, last.GetProperty("value").GetDouble());

        (code, output, _) = await CliRunner.RunAsync("history", "--path", db, "query", "home/kitchen/temperature",
            "--from", Start.ToString("O", CultureInfo.InvariantCulture), "--to", Start.AddHours(2).ToString("O", CultureInfo.InvariantCulture), "--step", "30m", "--agg", "max", "--format", "csv");
        Assert.Equal(0, code);
        Assert.Equal(
            $"time,max\n{Iso(Start)},29\n{Iso(Start.AddMinutes(30))},59\n{Iso(Start.AddHours(1))},89\n{Iso(Start.AddMinutes(90))},119\n",
            output.ReplaceLineEndings("\n"));

        (code, output, _) = await CliRunner.RunAsync("history", "--path", db, "query", "home/kitchen/temperature#value",
            "--from", Start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "--to", Start.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "--step", "10s");
        Assert.Contains("6 steps of 10 s, read from raw points", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_to_csv_and_jsonl_imports_again_into_the_same_points_and_parquet_reads_back_with_Parquet_Net()
    {
        var db = _temp.File("h.db");
        using (var store = HistoryStore.Open(db))
        {
            store.Write(Enumerable.Range(0, 500).Select(i => new HistoryPoint($"s/{i % 3}", i % 2 == 0 ? "value" : "a,b", i % 3 == 0 ? """{"room":"x"}""" : "", Start.AddSeconds(i).ToUnixTimeMilliseconds(), i * 0.1)).ToList());
        }

        var original = Read(db);
        foreach (var format in new[] { "csv", "jsonl" })
        {
            var file = _temp.File($"out.{format}");
            var (code, output, error) = await CliRunner.RunAsync("history", "--path", db, "export", "--format", format, "--output", file, "--to", "now");
            Assert.Equal((0, ""), (code, error));
            Assert.Contains("Exported 500 points", output, StringComparison.Ordinal);

            var copy = _temp.File($"copy-{format}.db");
            (code, output, error) = await CliRunner.RunAsync("history", "--path", copy, "import", file);
            Assert.Equal((0, ""), (code, error));
            Assert.Equal(original, Read(copy));
        }

        var parquet = _temp.File("out.parquet");
        Assert.Equal(0, (await CliRunner.RunAsync("history", "--path", db, "export", "s/#", "--format", "parquet", "-o", parquet)).ExitCode);
        await using var stream = File.OpenRead(parquet);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["time", "topic", "field", "value", "tags"], fields.Select(f => f.Name));
        var (times, topics, values) = (new List<DateTime>(), new List<string>(), new List<double>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var (t, s, v) = (new DateTime[count], new string?[count], new double[count]);
            await group.ReadAsync<DateTime>(fields[0], t.AsMemory());
            await group.ReadAsync(fields[1], s.AsMemory());
            await group.ReadAsync<double>(fields[3], v.AsMemory());
            times.AddRange(t);
            topics.AddRange(s.Select(x => x!));
            values.AddRange(v);
        }

        var expected = original.Select(o => o.Split(' ')).Select(p => $"{p[0]} {p[3]} {p[4]}").Order(StringComparer.Ordinal).ToList();
        var actual = topics.Select((topic, i) =>
                $"{topic} {new DateTimeOffset(DateTime.SpecifyKind(times[i], DateTimeKind.Utc)).ToUnixTimeMilliseconds()} {values[i].ToString("R", CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Import_reports_each_bad_line_as_file_and_line_and_keeps_the_good_ones()
    {
        var db = _temp.File("h.db");
        var csv = _temp.Write("bad.csv", "time,topic,value\n2026-03-01T00:00:00Z,a/b,1\nyesterday,a/b,2\n2026-03-01T00:00:01Z,a/+,3\n2026-03-01T00:00:02Z,a/b,warm\n");

        var (code, output, error) = await CliRunner.RunAsync("history", "--path", db, "import", csv);

        Assert.Equal(1, code);
        Assert.Contains($"{csv}:3: 'yesterday' is not a time", error, StringComparison.Ordinal);
        Assert.Contains($"{csv}:4: 'a/+' is not a topic name", error, StringComparison.Ordinal);
        Assert.Contains($"{csv}:5: 'warm' is not a number", error, StringComparison.Ordinal);
        Assert.Contains("Imported 1 of 1 points", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_history_database_the_commands_say_where_they_looked()
    {
        var ini = _temp.Write("hub.ini", "[defaults]\nlaunch = log\n\n[config:log]\ntargets = {'info': ['info']}\n\n[history:t]\ntopic = a/b\n");

        var (code, _, error) = await CliRunner.RunAsync("history", "--config", ini, "series");

        Assert.Equal(1, code);
        Assert.Contains($"no history at {Path.Combine(_temp.Path, ".hub-state", "history.db")}", error, StringComparison.Ordinal);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every point as "topic field tags ts value", sorted.</summary>
    private static List<string> Read(string db)
    {
        using var store = HistoryStore.Open(db);
        return store.Points(null, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddYears(10))
            .Select(p => $"{p.Topic} {p.Field} {p.Tags} {p.Timestamp} {p.Value.ToString("R", CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal).ToList();
    }
}
