using Hub.Plugins;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Plugins.InfluxDb;

/// <summary>The influxdb plugin's v1 API against Debian's influxd 1.6, read back with InfluxQL.</summary>
public sealed class InfluxSinkTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    private InfluxServer Server => influx.Server;

    [Fact]
    public async Task A_lone_value_becomes_value_with_the_topic_tag_at_the_messages_arrival_time()
    {
        await Server.ExecuteAsync("CREATE DATABASE lone");
        var arrived = StorageItems.Recent(5);
        await Sink(("database", "lone")).SendAsync(StorageItems.Item("21.5", Some.List("boiler"), arrived, "home/boiler/temp"), CancellationToken.None);

        var row = Assert.Single(await Server.QueryAsync("lone", "SELECT * FROM boiler"));
        Assert.Equal(21.5, row["value"].GetDouble());
        Assert.Equal("home_boiler_temp", row["topic"].GetString());
        Assert.Equal(ItemNanoseconds(arrived), row["time"].GetInt64());
    }

    [Fact]
    public async Task Spaces_commas_equals_signs_and_quotes_are_escaped_and_read_back_unchanged()
    {
        await Server.ExecuteAsync("CREATE DATABASE escaping");
        var target = Some.Dict(("measurement", "living room, north"), ("tags", Some.List("room name")), ("fields", Some.List("note", "level")));
        await Sink(("database", "escaping")).SendBatchAsync(
        [
            StorageItems.Item("x", target, StorageItems.Recent(2), "home/a b,c=d", ("room name", "kids, upstairs=1"), ("note", "he said \"hot\" \\ twice"), ("level", 3L)),
            StorageItems.Item("say \"hi\", ok", Some.List("plain text"), StorageItems.Recent(1), "home/x"),
        ], CancellationToken.None);

        var row = Assert.Single(await Server.QueryAsync("escaping", "SELECT * FROM \"living room, north\""));
        Assert.Equal("kids, upstairs=1", row["room name"].GetString());
        Assert.Equal("home_a b,c=d", row["topic"].GetString());
        Assert.Equal("he said \"hot\" \\ twice", row["note"].GetString());
        Assert.Equal(3, row["level"].GetDouble());
        var text = Assert.Single(await Server.QueryAsync("escaping", "SELECT * FROM \"plain text\""));
        Assert.Equal("say \"hi\", ok", text["value"].GetString());
    }

    [Fact]
    public async Task A_formatted_field_set_or_tags_and_fields_follow_the_topic_tag_as_in_mqttwarn()
    {
        await Server.ExecuteAsync("CREATE DATABASE shapes");
        var sink = Sink(("database", "shapes"));
        await sink.SendBatchAsync(
        [
            StorageItems.Item("temp=21.5,hum=40", Some.List("fieldset"), StorageItems.Recent(3), "a/b"),
            StorageItems.Item("room=kitchen temp=19", Some.List("tagged"), StorageItems.Recent(2), "a/b"),
            StorageItems.Item("room=hall temp=18 1700000000000000000", Some.List("timed"), StorageItems.Recent(1), "a/b"),
        ], CancellationToken.None);

        var fieldSet = Assert.Single(await Server.QueryAsync("shapes", "SELECT * FROM fieldset"));
        Assert.Equal((21.5, 40.0), (fieldSet["temp"].GetDouble(), fieldSet["hum"].GetDouble()));
        var tagged = Assert.Single(await Server.QueryAsync("shapes", "SELECT * FROM tagged GROUP BY *"));
        Assert.Equal(("kitchen", "a_b", 19.0), (tagged["room"].GetString(), tagged["topic"].GetString(), tagged["temp"].GetDouble()));
        var timed = Assert.Single(await Server.QueryAsync("shapes", "SELECT * FROM timed"));
        Assert.Equal(1700000000000000000, timed["time"].GetInt64());
    }

    [Fact]
    public async Task The_point_comes_from_the_data_with_every_numeric_field_and_tags_from_data_keys()
    {
        await Server.ExecuteAsync("CREATE DATABASE fromdata");
        var target = Some.Dict(("measurement", "{kind}"), ("tags", Some.List("device")), ("fields", "*"), ("topic_tag", false));
        await Sink(("database", "fromdata")).SendAsync(
            StorageItems.Item("{...}", target, StorageItems.Recent(), "x/y", ("kind", "climate"), ("device", "jog02"), ("temperature", 21L), ("humidity", 40.5), ("label", "text is not a number"), ("ok", true)),
            CancellationToken.None);

        var row = Assert.Single(await Server.QueryAsync("fromdata", "SELECT * FROM climate GROUP BY *"));
        Assert.Equal(["device", "humidity", "temperature", "time"], row.Keys.Order());
        Assert.Equal(("jog02", 21.0, 40.5), (row["device"].GetString(), row["temperature"].GetDouble(), row["humidity"].GetDouble()));
    }

    [Fact]
    public async Task The_targets_database_retention_policy_and_precision_win_over_the_services()
    {
        await Server.ExecuteAsync("CREATE DATABASE rpdb");
        await Server.ExecuteAsync("CREATE RETENTION POLICY short ON rpdb DURATION 1h REPLICATION 1");
        var arrived = StorageItems.Recent(7);
        await Sink(("database", "other")).SendAsync(StorageItems.Item("5", Some.List("m", "rpdb", "short", "s"), arrived), CancellationToken.None);

        var row = Assert.Single(await Server.QueryAsync("rpdb", "SELECT * FROM rpdb.short.m"));
        Assert.Equal(arrived.ToUnixTimeSeconds() * 1_000_000_000, row["time"].GetInt64());
        Assert.Empty(await Server.QueryAsync("rpdb", "SELECT * FROM rpdb.autogen.m"));
    }

    [Fact]
    public async Task A_batch_is_written_whole_and_writing_it_again_keeps_every_point_once()
    {
        await Server.ExecuteAsync("CREATE DATABASE batches");
        var start = StorageItems.Recent(60);
        var batch = Enumerable.Range(0, 2000).Select(i => StorageItems.Item($"{i}", Some.List("counter"), start.AddMilliseconds(i))).ToList();
        var sink = Sink(("database", "batches"));
        await sink.SendBatchAsync(batch, CancellationToken.None);
        await sink.SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal(2000, await Server.CountAsync("batches", "counter", "value"));
    }

    [Fact]
    public async Task A_bad_message_is_left_out_of_a_batch_and_an_unknown_database_is_a_permanent_failure()
    {
        await Server.ExecuteAsync("CREATE DATABASE partial");
        var fromData = Some.Dict(("measurement", "m"), ("fields", Some.List("temperature")));
        var context = new TestPluginContext(Some.Dict(("url", Server.BaseUrl.ToString()), ("database", "partial")));
        var sink = (IBatchSink)BuiltInPlugins.Create("influxdb", context);
        await sink.SendBatchAsync(
        [
            StorageItems.Item("a", fromData, StorageItems.Recent(2), fields: ("temperature", 20L)),
            StorageItems.Item("b", fromData, StorageItems.Recent(1), fields: ("other", 1L)),
        ], CancellationToken.None);
        Assert.Equal(1, await Server.CountAsync("partial", "m", "temperature"));
        Assert.Contains(context.Log.Messages(LogLevel.Warning), l => l.Contains("left out of the batch: no field", StringComparison.Ordinal));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink(("database", "missing")).SendAsync(StorageItems.Item("1", Some.List("m"), StorageItems.Recent()), CancellationToken.None).AsTask());
        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("database not found", error.Message);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        var db = Some.Dict(("database", "d"));
        Assert.Empty(BuiltInPlugins.Validate("influxdb", Some.List("m"), db));
        Assert.Empty(BuiltInPlugins.Validate("influxdb", Some.List("m", "d2", "rp", "s")));
        Assert.Empty(BuiltInPlugins.Validate("influxdb", Some.Dict(("measurement", "{x}"), ("fields", "*")), db));
        Assert.Contains("no database", Assert.Single(BuiltInPlugins.Validate("influxdb", Some.List("m"))));
        Assert.Contains("precision must be one of", Assert.Single(BuiltInPlugins.Validate("influxdb", Some.List("m", "d", "", "seconds"))));
        Assert.Contains("needs a 'measurement'", Assert.Single(BuiltInPlugins.Validate("influxdb", Some.Dict(("fields", "*")), db)));
        Assert.Contains("unknown key 'field'", Assert.Single(BuiltInPlugins.Validate("influxdb", Some.Dict(("measurement", "m"), ("field", "x")), db)));
        Assert.NotEmpty(BuiltInPlugins.Validate("influxdb", Some.List(), db));

        var bad = BuiltInPlugins.Activate("influxdb", Some.Dict(("api", "v3"), ("precision", "us"), ("scheme", "ftp")));
        Assert.Null(bad.Instance);
        Assert.Equal(["api", "scheme"], bad.Diagnostics.Select(d => d.Key).Order());
        var v2 = BuiltInPlugins.Activate("influxdb", Some.Dict(("api", "v2"), ("precision", "h")));
        Assert.Equal(["org", "precision", "token"], v2.Diagnostics.Select(d => d.Key).Order());
    }

    private static long ItemNanoseconds(DateTimeOffset arrived) => (arrived.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private IBatchSink Sink(params (string Key, object? Value)[] options) =>
        (IBatchSink)BuiltInPlugins.Create("influxdb", new TestPluginContext(Some.Dict([("host", Server.Server.Host), ("port", (long)Server.Server.Port), .. options])));
}
