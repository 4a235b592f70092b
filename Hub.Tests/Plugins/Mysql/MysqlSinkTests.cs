using Hub.Plugins;
using Hub.Tests.Plugins.Postgres;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Mysql;

/// <summary>The <c>mysql</c> sink against a real MariaDB (one server for the class), read back with the <c>mariadb</c> client.</summary>
public sealed class MysqlSinkTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_dict_target_without_columns_creates_the_default_table_and_writes_a_row_per_numeric_field()
    {
        var sink = Sink();
        await Batch(sink, [PostgresSinkTests.Reading("boiler/1", """{"pressure": 1.5, "temp": 61, "state": "on"}""", Some.Dict(("table", "readings_values"), ("rows", "values")), Noon)]);
        Assert.Equal(
            "boiler/1\tpressure\t1.5\t2026-12-07 12:00:00.000123\nboiler/1\ttemp\t61\t2026-12-07 12:00:00.000123",
            await server.QueryAsync("SELECT topic, field, value, time FROM readings_values ORDER BY field"));
    }

    [Fact]
    public async Task A_batch_written_twice_keeps_each_row_once_in_multi_row_inserts()
    {
        var sink = Sink();
        var target = Some.Dict(("table", "readings_twice"));
        var items = Enumerable.Range(0, 1500).Select(i => PostgresSinkTests.Reading("room/" + (i % 5), i.ToString(System.Globalization.CultureInfo.InvariantCulture), target, Noon.AddSeconds(i))).ToList();
        await Batch(sink, items);
        await Batch(sink, items);
        Assert.Equal(1500, await server.CountAsync("SELECT count(*) FROM readings_twice"));
        Assert.Equal(1499 * 1500 / 2, await server.CountAsync("SELECT CAST(sum(value) AS SIGNED) FROM readings_twice"));
    }

    [Fact]
    public async Task Mapped_columns_with_update_upsert_the_last_value_per_key()
    {
        await server.QueryAsync("CREATE TABLE latest (device VARCHAR(50) PRIMARY KEY, temp DOUBLE, seen DATETIME, n INT)");
        var sink = Sink();
        var target = Some.Dict(
            ("table", "latest"),
            ("columns", Some.Dict(("device", "device"), ("temp", "temperature"), ("seen", "$time"), ("n", "n"))),
            ("conflict", Some.List("device")),
            ("update", true));
        await Batch(sink, [
            PostgresSinkTests.Reading("t", """{"device": "attic", "temperature": 20.5, "n": 1}""", target, Noon),
            PostgresSinkTests.Reading("t", """{"device": "attic", "temperature": "21.5", "n": 2}""", target, Noon.AddMinutes(1)),
            PostgresSinkTests.Reading("t", """{"device": "cellar", "temperature": 9, "n": 3}""", target, Noon)]);
        await Batch(sink, [PostgresSinkTests.Reading("t", """{"device": "cellar", "temperature": 10, "n": 4}""", target, Noon.AddMinutes(2))]);
        Assert.Equal("attic\t21.5\t12:01:00\t2\ncellar\t10\t12:02:00\t4", await server.QueryAsync("SELECT device, temp, TIME(seen), n FROM latest ORDER BY device"));
    }

    [Fact]
    public async Task An_mqttwarn_list_target_writes_the_data_keys_that_name_columns_and_the_message_into_the_fallback_column()
    {
        await server.QueryAsync("CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, topic TEXT, name TEXT, payload TEXT, level INT)");
        var sink = Sink();
        await Batch(sink, [
            PostgresSinkTests.Reading("ev/1", """{"name": "door", "level": 3, "unknown": true}""", Some.List("events", "payload"), Noon),
            PostgresSinkTests.Reading("ev/2", "not json", Some.List("events", "payload"), Noon)]);
        Assert.Equal(
            "ev/1\tdoor\t{\"name\": \"door\", \"level\": 3, \"unknown\": true}\t3\nev/2\tNULL\tnot json\tNULL",
            await server.QueryAsync("SELECT topic, name, payload, level FROM events ORDER BY id"));
    }

    [Fact]
    public async Task Hostile_table_names_and_values_are_quoted_and_never_run_as_sql()
    {
        await server.QueryAsync("CREATE TABLE keep_me (x INT)");
        var sink = Sink();
        await Batch(sink, [PostgresSinkTests.Reading("x/1', 1); DROP TABLE keep_me; --", "1", Some.Dict(("table", "odd`; DROP TABLE keep_me; --")), Noon)]);
        Assert.Equal(1, await server.CountAsync("SELECT count(*) FROM `odd``; DROP TABLE keep_me; --`"));
        Assert.Equal(0, await server.CountAsync("SELECT count(*) FROM keep_me"));
    }

    [Fact]
    public async Task A_missing_column_is_a_permanent_failure_and_a_closed_port_a_transient_one()
    {
        await server.QueryAsync("CREATE TABLE narrow (a INT)");
        var missing = await Assert.ThrowsAsync<PermanentDeliveryException>(() => Batch(Sink(), [PostgresSinkTests.Reading("t", "1", Some.Dict(("table", "narrow"), ("columns", Some.Dict(("b", "payload")))), Noon)]));
        Assert.Contains("no column 'b'", missing.Message);
        var options = server.Options();
        options["port"] = (long)Loopback.ClosedPort();
        var closed = (IBatchSink)BuiltInPlugins.Create("mysql", new TestPluginContext(options));
        await Assert.ThrowsAsync<TransientDeliveryException>(() => Batch(closed, [PostgresSinkTests.Reading("t", "1", Some.Dict(("table", "x")), Noon)]));
    }

    [Theory]
    [InlineData("'table'", "the target must be")]
    [InlineData("{'table': 't', 'colums': {}}", "unknown key 'colums'")]
    [InlineData("{'table': 't', 'update': 'yes'}", "'update' must be")]
    public void A_wrong_descriptor_is_refused_at_load(string descriptor, string message) =>
        Assert.Contains(BuiltInPlugins.Validate("mysql", Hub.Config.Values.PythonLiteral.ParseOrText(descriptor)), p => p.Contains(message, StringComparison.Ordinal));

    [Fact]
    public async Task A_target_bound_once_serves_every_batch_without_its_descriptor_being_parsed_again()
    {
        var sink = Sink();
        var descriptor = Some.Dict(("table", "readings_bound"));
        var bound = BuiltInPlugins.Bind(sink, descriptor);
        await Batch(sink, [
            BuiltInPlugins.WithBinding(PostgresSinkTests.Reading("room/1", "20.5", descriptor, Noon), bound),
            BuiltInPlugins.WithBinding(PostgresSinkTests.Reading("room/2", "21.5", descriptor, Noon), bound)]);
        Assert.Equal("room/1\t20.5\nroom/2\t21.5", await server.QueryAsync("SELECT topic, value FROM readings_bound ORDER BY topic"));
    }

    private IBatchSink Sink() => (IBatchSink)BuiltInPlugins.Create("mysql", new TestPluginContext(server.Options()));

    private static async Task Batch(IBatchSink sink, IReadOnlyList<DeliveryItem> items) => await sink.SendBatchAsync(items, CancellationToken.None);
}
