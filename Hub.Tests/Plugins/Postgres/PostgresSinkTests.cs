using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Postgres;

/// <summary>The <c>postgres</c> sink against a real PostgreSQL (one server for the class), read back with <c>psql</c>.</summary>
public sealed class PostgresSinkTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_dict_target_without_columns_creates_the_default_table_and_writes_a_row_per_numeric_field()
    {
        var sink = Sink();
        var target = Some.Dict(("table", "readings_values"), ("rows", "values"));
        await Batch(sink, [Reading("boiler/1", """{"pressure": 1.5, "temp": 61, "state": "on"}""", target, Noon)]);

        var rows = await server.QueryAsync("SELECT topic, field, value, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM readings_values ORDER BY field");
        Assert.Equal("boiler/1|pressure|1.5|2026-12-07 12:00:00.000123\nboiler/1|temp|61|2026-12-07 12:00:00.000123", rows);
    }

    [Fact]
    public async Task A_batch_written_twice_keeps_each_row_once()
    {
        var sink = Sink();
        var target = Some.Dict(("table", "readings_twice"));
        var items = Enumerable.Range(0, 50).Select(i => Reading("room/" + (i % 5), i.ToString(System.Globalization.CultureInfo.InvariantCulture), target, Noon.AddSeconds(i))).ToList();
        await Batch(sink, items);
        await Batch(sink, items);

        Assert.Equal(50, await server.CountAsync("SELECT count(*) FROM readings_twice"));
        Assert.Equal(49 * 50 / 2, await server.CountAsync("SELECT sum(value)::bigint FROM readings_twice"));
        Assert.Equal("7", await server.QueryAsync("SELECT message FROM readings_twice WHERE topic = 'room/2' AND time = '2026-12-07 12:00:07.000123+00'"));
    }

    [Fact]
    public async Task Mapped_columns_with_update_upsert_the_last_value_per_key()
    {
        await server.QueryAsync("CREATE TABLE latest (device text PRIMARY KEY, temp real, seen timestamptz, raw jsonb, n int)");
        var sink = Sink();
        var target = Some.Dict(
            ("table", "latest"),
            ("columns", Some.Dict(("device", "device"), ("temp", "temperature"), ("seen", "$time"), ("raw", "payload"), ("n", "n"))),
            ("conflict", Some.List("device")),
            ("update", true));
        await Batch(sink, [
            Reading("t", """{"device": "attic", "temperature": 20.5, "n": 1}""", target, Noon),
            Reading("t", """{"device": "attic", "temperature": "21.5", "n": 2}""", target, Noon.AddMinutes(1)),
            Reading("t", """{"device": "cellar", "temperature": 9, "n": 3}""", target, Noon)]);
        await Batch(sink, [Reading("t", """{"device": "cellar", "temperature": 10, "n": 4}""", target, Noon.AddMinutes(2))]);

        Assert.Equal(
            "attic|21.5|12:01:00|2\ncellar|10|12:02:00|4",
            await server.QueryAsync("SELECT device, temp, to_char(seen AT TIME ZONE 'UTC', 'HH24:MI:SS'), raw->>'n' FROM latest ORDER BY device"));
    }

    [Fact]
    public async Task An_mqttwarn_list_target_writes_the_data_keys_that_name_columns_and_the_message_into_the_fallback_column()
    {
        await server.QueryAsync("CREATE SCHEMA IF NOT EXISTS home; CREATE TABLE home.events (id serial, topic text, name text, payload text, level int)");
        var sink = Sink();
        await Batch(sink, [
            Reading("ev/1", """{"name": "door", "level": 3, "unknown": true}""", Some.List("events", "payload", "home"), Noon),
            Reading("ev/2", "not json", Some.List("events", "payload", "home"), Noon)]);

        Assert.Equal(
            "ev/1|door|{\"name\": \"door\", \"level\": 3, \"unknown\": true}|3\nev/2||not json|",
            await server.QueryAsync("SELECT topic, name, payload, level FROM home.events ORDER BY id"));
    }

    [Fact]
    public async Task Hostile_table_and_column_names_are_quoted_and_never_run_as_sql()
    {
        await server.QueryAsync("CREATE TABLE keep_me (x int)");
        var sink = Sink();
        var table = "odd\"; DROP TABLE keep_me; --";
        await Batch(sink, [Reading("x/1", "1", Some.Dict(("table", table)), Noon)]);

        Assert.Equal(1, await server.CountAsync("SELECT count(*) FROM \"odd\"\"; DROP TABLE keep_me; --\""));
        Assert.Equal(0, await server.CountAsync("SELECT count(*) FROM keep_me"));
    }

    [Fact]
    public async Task A_missing_table_and_a_missing_column_are_permanent_failures()
    {
        await server.QueryAsync("CREATE TABLE narrow (a int)");
        var sink = Sink(("create_table", false));
        var missingTable = await Assert.ThrowsAsync<PermanentDeliveryException>(() => Batch(sink, [Reading("t", "1", Some.Dict(("table", "nowhere")), Noon)]));
        Assert.Contains("does not exist", missingTable.Message);
        var missingColumn = await Assert.ThrowsAsync<PermanentDeliveryException>(() => Batch(sink, [Reading("t", "1", Some.Dict(("table", "narrow"), ("columns", Some.Dict(("b", "payload")))), Noon)]));
        Assert.Contains("no column 'b'", missingColumn.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_a_transient_failure()
    {
        var options = server.Options();
        options["port"] = (long)Loopback.ClosedPort();
        var sink = BuiltInPlugins.Create("postgres", new TestPluginContext(options));
        await Assert.ThrowsAsync<TransientDeliveryException>(() => Batch((IBatchSink)sink, [Reading("t", "1", Some.Dict(("table", "x")), Noon)]));
    }

    [Theory]
    [InlineData("'table'", "the target must be")]
    [InlineData("['a', 'b', 'c', 'd']", "the target must be")]
    [InlineData("{'columns': {'a': 'b'}}", "'table' must be")]
    [InlineData("{'table': 't', 'colums': {}}", "unknown key 'colums'")]
    [InlineData("{'table': 't', 'rows': 'each'}", "'rows' must be")]
    [InlineData("{'table': 't', 'columns': {'a': 'b'}, 'conflict': ['c']}", "conflict column 'c'")]
    public void A_wrong_descriptor_is_refused_at_load(string descriptor, string message)
    {
        var problems = BuiltInPlugins.Validate("postgres", Hub.Config.Values.PythonLiteral.ParseOrText(descriptor));
        Assert.Contains(problems, p => p.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hub_check_reports_a_wrong_descriptor_at_its_file_and_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", """
            [defaults]
            launch = postgres

            [config:postgres]
            targets = {
                'good': {'table': 'readings'},
                'bad':  {'table': 'readings', 'rows': 'each'},
              }

            [a/b]
            targets = postgres:good, postgres:bad
            """);
        var (code, _, error) = await Hub.Tests.Cli.CliRunner.RunAsync("check", "--config", path, "--plugins", Repo.PluginDirectory);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:7: ", error);
        Assert.Contains("'rows' must be", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task A_target_bound_once_serves_every_batch_without_its_descriptor_being_parsed_again()
    {
        var sink = Sink();
        var descriptor = Some.Dict(("table", "readings_bound"));
        var bound = BuiltInPlugins.Bind(sink, descriptor);
        await Batch(sink, [
            BuiltInPlugins.WithBinding(Reading("room/1", "20.5", descriptor, Noon), bound),
            BuiltInPlugins.WithBinding(Reading("room/2", "21.5", descriptor, Noon), bound)]);
        Assert.Equal("room/1|20.5\nroom/2|21.5", await server.QueryAsync("SELECT topic, value FROM readings_bound ORDER BY topic"));
    }

    private IBatchSink Sink(params (string Key, object? Value)[] extra)
    {
        var options = server.Options();
        foreach (var (key, value) in extra)
        {
            options[key] = value;
        }

        return (IBatchSink)BuiltInPlugins.Create("postgres", new TestPluginContext(options));
    }

    private static async Task Batch(IBatchSink sink, IReadOnlyList<DeliveryItem> items) => await sink.SendBatchAsync(items, CancellationToken.None);

    /// <summary>An item as the hub makes it: the payload's JSON fields merged into the data, the time keys of <paramref name="time"/> (plus 123 µs).</summary>
    public static DeliveryItem Reading(string topic, string payload, object? addrs, DateTime time)
    {
        var data = new Dictionary<string, object?>
        {
            ["topic"] = topic,
            ["payload"] = payload,
            ["_dtepoch"] = new DateTimeOffset(time).ToUnixTimeSeconds(),
            ["_dtiso"] = time.AddTicks(1230).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Hub.Formatting.JsonData.TryParseObject(System.Text.Encoding.UTF8.GetBytes(payload)) is { } json)
        {
            foreach (var (key, value) in json)
            {
                data[key] = value;
            }
        }

        var item = Some.Item(payload, addrs, topic: topic, data: data);
        return item;
    }
}
