using System.IO.Compression;
using System.Text.Json;
using Hub.Plugins;
using Hub.Tests.Plugins.Postgres;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Records;

/// <summary>The <c>records</c> sink: CSV and JSON Lines, rotation by size and by time, gzip, keep.</summary>
public sealed class RecordsSinkTests : IDisposable
{
    private static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Csv_records_have_a_header_and_quote_what_needs_quoting()
    {
        var path = _temp.File("out/readings.csv");
        using var sink = Sink(null, ("fields", Some.List("$time", "topic", "temp", "note")));
        await sink.SendBatchAsync([
            Item("""{"temp": 21.5, "note": "plain"}""", path),
            Item("""{"temp": 3, "note": "a, \"quoted\"\nline"}""", path)], CancellationToken.None);
        Assert.Equal(
            "time,topic,temp,note\n2026-12-07T12:00:00.000123Z,s/1,21.5,plain\n2026-12-07T12:00:00.000123Z,s/1,3,\"a, \"\"quoted\"\"\nline\"\n",
            File.ReadAllText(path));
    }

    [Fact]
    public async Task Json_lines_keep_the_values_types()
    {
        var path = _temp.File("out.jsonl");
        using var sink = Sink(null, ("format", "jsonl"), ("fields", "topic, temp, on, $message"));
        await sink.SendBatchAsync([Item("""{"temp": 21.5, "on": true}""", path)], CancellationToken.None);
        using var record = JsonDocument.Parse(File.ReadAllText(path).TrimEnd('\n'));
        Assert.Equal(JsonValueKind.Number, record.RootElement.GetProperty("temp").ValueKind);
        Assert.Equal(JsonValueKind.True, record.RootElement.GetProperty("on").ValueKind);
        Assert.Equal("s/1", record.RootElement.GetProperty("topic").GetString());
        Assert.Equal("""{"temp": 21.5, "on": true}""", record.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_file_is_rotated_before_it_grows_past_rotate_bytes_and_the_rotated_one_is_gzipped()
    {
        var path = _temp.File("r.csv");
        var time = AtNoon();
        using var sink = Sink(time, ("fields", "payload"), ("header", false), ("rotate_bytes", 12L), ("gzip", true));
        foreach (var n in new[] { "one", "two", "three", "four", "five", "six" })
        {
            await sink.SendBatchAsync([Item(n, path)], CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var rotated = Directory.GetFiles(_temp.Path, "r.*.csv.gz").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["r.20261207T120002.csv.gz", "r.20261207T120004.csv.gz"], rotated.Select(Path.GetFileName));
        Assert.Equal("one\ntwo\n", Gunzip(rotated[0]));
        Assert.Equal("three\nfour\n", Gunzip(rotated[1]));
        Assert.Equal("five\nsix\n", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(_temp.Path, "r.*.csv"));
    }

    [Fact]
    public async Task A_file_is_rotated_at_the_first_write_in_a_new_period_and_keep_deletes_the_oldest()
    {
        var path = _temp.File("h.csv");
        var time = AtNoon();
        using var sink = Sink(time, ("fields", "payload"), ("rotate_interval", 3600L), ("keep", 2L));
        for (var hour = 0; hour < 4; hour++)
        {
            await sink.SendBatchAsync([Item("a" + hour, path), Item("b" + hour, path)], CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(59));
            await sink.SendBatchAsync([Item("c" + hour, path)], CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var rotated = Directory.GetFiles(_temp.Path, "h.*.csv").Order(StringComparer.Ordinal).Select(Path.GetFileName).ToList();
        Assert.Equal(["h.20261207T130000.csv", "h.20261207T140000.csv"], rotated);
        Assert.Equal("payload\na2\nb2\nc2\n", File.ReadAllText(_temp.File("h.20261207T140000.csv")));
        Assert.Equal("payload\na3\nb3\nc3\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("['/a', '/b']")]
    [InlineData("{'path': '/a'}")]
    [InlineData("[5]")]
    public void A_descriptor_other_than_one_path_is_refused(string descriptor) =>
        Assert.Contains(BuiltInPlugins.Validate("records", Hub.Config.Values.PythonLiteral.ParseOrText(descriptor)), p => p.Contains("['/path/to/file']", StringComparison.Ordinal));

    [Fact]
    public void A_format_other_than_csv_or_jsonl_is_an_option_error()
    {
        var activation = BuiltInPlugins.Activate("records", Some.Dict(("format", "xml")));
        Assert.Contains(activation.Diagnostics, d => d.Key == "format" && d.Message.Contains("csv or jsonl", StringComparison.Ordinal));
    }

    private static FakeTimeProvider AtNoon()
    {
        var time = new FakeTimeProvider();
        time.Advance(new DateTimeOffset(Noon) - time.GetUtcNow());
        return time;
    }

    [Fact]
    public async Task A_target_bound_once_serves_every_batch_without_its_descriptor_being_parsed_again()
    {
        var path = _temp.File("bound.jsonl");
        using var sink = Sink(null, ("format", "jsonl"), ("fields", Some.List("payload")));
        var bound = sink.Bind(Some.List(path));
        await sink.SendBatchAsync([BuiltInPlugins.WithBinding(Item("one", path), bound), BuiltInPlugins.WithBinding(Item("two", path), bound)], CancellationToken.None);
        Assert.Equal("{\"payload\":\"one\"}\n{\"payload\":\"two\"}\n", File.ReadAllText(path));
    }

    private static SinkHandle Sink(TimeProvider? time, params (string Key, object? Value)[] options) =>
        new((IBatchSink)BuiltInPlugins.Create("records", new TestPluginContext(Some.Dict(options)) { TimeProvider = time ?? TimeProvider.System }));

    private static DeliveryItem Item(string payload, string path) => PostgresSinkTests.Reading("s/1", payload, Some.List(path), Noon);

    private static string Gunzip(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class SinkHandle(IBatchSink sink) : IDisposable
    {
        public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) => sink.SendBatchAsync(items, cancellationToken);

        public object Bind(object? descriptor) => BuiltInPlugins.Bind(sink, descriptor);

        public void Dispose() => ((IDisposable)sink).Dispose();
    }
}
