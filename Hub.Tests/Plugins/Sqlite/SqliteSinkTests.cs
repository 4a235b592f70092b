using Hub.Plugins;
using Hub.Tests.Plugins.Postgres;
using Hub.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Hub.Tests.Plugins.Sqlite;

/// <summary>The <c>sqlite</c> sink in its three mqttwarn layouts, read back with Microsoft.Data.Sqlite.</summary>
public sealed class SqliteSinkTests : IDisposable
{
    private static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_payload_layout_stores_each_formatted_message_in_one_transaction_per_batch()
    {
        var path = _temp.File("sub/messages.db");
        using var sink = Sink("payload");
        await sink.SendBatchAsync([Item("one", path, "log"), Item("two", path, "log"), Item("three", path, "log")], CancellationToken.None);
        Assert.Equal(["one", "two", "three"], Read(path, "SELECT payload FROM log ORDER BY rowid"));
    }

    [Fact]
    public async Task The_timestamp_layout_stores_an_id_the_message_and_its_time()
    {
        var path = _temp.File("ts.db");
        using var sink = Sink("timestamp");
        await sink.SendBatchAsync([Item("a", path, "events"), Item("b", path, "events")], CancellationToken.None);
        Assert.Equal(["1|a|2026-12-07 12:00:00", "2|b|2026-12-07 12:00:00"], Read(path, "SELECT id || '|' || payload || '|' || timestamp FROM events ORDER BY id"));
    }

    [Fact]
    public async Task The_json2cols_layout_makes_a_column_per_field_and_adds_one_for_a_later_field()
    {
        var path = _temp.File("cols.db");
        using var sink = Sink("json2cols");
        await sink.SendBatchAsync([Item("""{"sensor": "attic", "temp": 21.5, "on": true, "list": [1]}""", path, "r")], CancellationToken.None);
        await sink.SendBatchAsync([Item("""{"sensor": "cellar", "temp": 9, "humidity": 80}""", path, "r")], CancellationToken.None);
        Assert.Equal(["attic|21.5|1.0|", "cellar|9.0||80.0"], Read(path, "SELECT sensor || '|' || temp || '|' || ifnull(\"on\", '') || '|' || ifnull(humidity, '') FROM r ORDER BY rowid"));
        Assert.Equal(["float", "float", "varchar(20)", "float"], Read(path, "SELECT type FROM pragma_table_info('r') ORDER BY name"));
    }

    [Fact]
    public async Task A_hostile_table_name_is_quoted_and_never_run_as_sql()
    {
        var path = _temp.File("safe.db");
        using var sink = Sink("payload");
        await sink.SendBatchAsync([Item("x", path, "keep")], CancellationToken.None);
        await sink.SendBatchAsync([Item("y", path, "t\"; DROP TABLE keep; --")], CancellationToken.None);
        Assert.Equal(["x"], Read(path, "SELECT payload FROM keep"));
        Assert.Equal(["y"], Read(path, "SELECT payload FROM \"t\"\"; DROP TABLE keep; --\""));
    }

    [Fact]
    public async Task A_failed_batch_writes_nothing_of_it()
    {
        var path = _temp.File("atomic.db");
        using (var setup = new SqliteConnection($"Data Source={path}"))
        {
            setup.Open();
            using var command = setup.CreateCommand();
            command.CommandText = "CREATE TABLE strict (payload TEXT NOT NULL CHECK (payload <> 'bad'))";
            command.ExecuteNonQuery();
        }

        using var sink = Sink("payload");
        await Assert.ThrowsAsync<PermanentDeliveryException>(() => sink.SendBatchAsync([Item("good", path, "strict"), Item("bad", path, "strict")], CancellationToken.None).AsTask());
        await sink.SendBatchAsync([Item("after", path, "strict")], CancellationToken.None);
        Assert.Equal(["after"], Read(path, "SELECT payload FROM strict"));
    }

    [Theory]
    [InlineData("['/tmp/x.db']")]
    [InlineData("['/tmp/x.db', 't', 'more']")]
    [InlineData("{'path': '/tmp/x.db'}")]
    [InlineData("['/tmp/x.db', 5]")]
    public void A_descriptor_other_than_path_and_table_is_refused(string descriptor) =>
        Assert.Contains(BuiltInPlugins.Validate("sqlite", Hub.Config.Values.PythonLiteral.ParseOrText(descriptor)), p => p.Contains("['/path/to/file.db', 'table']", StringComparison.Ordinal));

    [Fact]
    public async Task A_target_bound_once_serves_every_batch_without_its_descriptor_being_parsed_again()
    {
        var path = _temp.File("bound.db");
        using var sink = Sink("payload");
        var bound = sink.Bind(Some.List(path, "log"));
        await sink.SendBatchAsync([BuiltInPlugins.WithBinding(Item("one", path, "log"), bound), BuiltInPlugins.WithBinding(Item("two", path, "log"), bound)], CancellationToken.None);
        Assert.Equal(["one", "two"], Read(path, "SELECT payload FROM log ORDER BY rowid"));
    }

    private static SinkHandle Sink(string layout) => new((IBatchSink)BuiltInPlugins.Create("sqlite", new TestPluginContext(Some.Dict(("layout", layout)))));

    private static DeliveryItem Item(string payload, string path, string table) => PostgresSinkTests.Reading("s/1", payload, Some.List(path, table), Noon);

    private static List<string> Read(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        return rows;
    }

    /// <summary>The sink, disposed (its files closed) at the end of the test.</summary>
    private sealed class SinkHandle(IBatchSink sink) : IDisposable
    {
        public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) => sink.SendBatchAsync(items, cancellationToken);

        public object Bind(object? descriptor) => BuiltInPlugins.Bind(sink, descriptor);

        public void Dispose() => ((IDisposable)sink).Dispose();
    }
}
