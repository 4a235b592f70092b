using Hub.Plugins;
using Hub.Tests.Plugins.Postgres;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.MysqlDynamic;

/// <summary>The <c>mysql_dynamic</c> sink against a real MariaDB (one server for the class): a table per topic, made and widened from the data keys.</summary>
public sealed class MysqlDynamicSinkTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_first_message_of_a_topic_creates_its_table_with_a_column_per_data_key_and_writes_a_row()
    {
        var sink = Sink();
        await Batch(sink, [PostgresSinkTests.Reading("my/2", """{"name": "Jane Jolie", "number": 17, "ratio": 0.5}""", Some.List("payload", "_dtepoch", "_dtiso"), Noon)]);
        Assert.Equal(
            "id\tbigint\nname\tmediumtext\nnumber\tbigint\nratio\tdouble\ntopic\tmediumtext",
            await server.QueryAsync("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'hub' AND TABLE_NAME = 'my_2' ORDER BY COLUMN_NAME"));
        Assert.Equal("1\tJane Jolie\t17\t0.5\tmy/2", await server.QueryAsync("SELECT id, name, number, ratio, topic FROM my_2"));
    }

    [Fact]
    public async Task A_new_data_key_adds_a_column_and_earlier_rows_keep_null_there()
    {
        var sink = Sink();
        var ignore = Some.List("payload", "_dtepoch", "_dtiso", "topic");
        await Batch(sink, [PostgresSinkTests.Reading("grow/a-b", """{"temp": 20}""", ignore, Noon)]);
        await Batch(sink, [
            PostgresSinkTests.Reading("grow/a-b", """{"temp": 21, "hum": 40.5}""", ignore, Noon),
            PostgresSinkTests.Reading("grow/a-b", """{"temp": 22}""", ignore, Noon)]);
        Assert.Equal("20\tNULL\n21\t40.5\n22\tNULL", await server.QueryAsync("SELECT temp, hum FROM grow_ab ORDER BY id"));
    }

    [Fact]
    public async Task Keys_are_cleaned_as_mqttwarn_cleans_them_and_ignored_keys_are_left_out()
    {
        var sink = Sink();
        await Batch(sink, [PostgresSinkTests.Reading("clean/1", """{"a b!": 1, "x-y": "z", "secret": "no"}""", Some.List("payload", "_dtepoch", "_dtiso", "topic", "secret"), Noon)]);
        Assert.Equal("1\tz", await server.QueryAsync("SELECT ab, `x-y` FROM clean_1"));
        Assert.Equal(0, await server.CountAsync("SELECT count(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'hub' AND TABLE_NAME = 'clean_1' AND COLUMN_NAME = 'secret'"));
    }

    [Fact]
    public async Task The_index_table_gets_each_written_table_and_its_last_message_time()
    {
        await server.QueryAsync("CREATE TABLE topics_index (topic VARCHAR(128) PRIMARY KEY, ts DATETIME NOT NULL)");
        var sink = Sink(("index", "topics_index"));
        var ignore = Some.List("payload", "_dtepoch", "_dtiso");
        await Batch(sink, [PostgresSinkTests.Reading("ix/1", """{"v": 1}""", ignore, Noon), PostgresSinkTests.Reading("ix/1", """{"v": 2}""", ignore, Noon.AddMinutes(5))]);
        await Batch(sink, [PostgresSinkTests.Reading("ix/2", """{"v": 3}""", ignore, Noon.AddMinutes(1))]);
        Assert.Equal("ix_1\t2026-12-07 12:05:00\nix_2\t2026-12-07 12:01:00", await server.QueryAsync("SELECT topic, ts FROM topics_index ORDER BY topic"));
    }

    [Fact]
    public async Task Without_create_table_a_missing_table_is_a_permanent_failure()
    {
        var failure = await Assert.ThrowsAsync<PermanentDeliveryException>(() => Batch(Sink(("create_table", false)), [PostgresSinkTests.Reading("absent/1", """{"v": 1}""", Some.List(), Noon)]));
        Assert.Contains("`absent_1` does not exist", failure.Message);
    }

    [Theory]
    [InlineData("{'a': 1}")]
    [InlineData("['a', 2]")]
    public void A_descriptor_that_is_not_a_list_of_keys_is_reported_at_load(string descriptor) =>
        Assert.Contains(BuiltInPlugins.Validate("mysql_dynamic", Hub.Config.Values.PythonLiteral.ParseOrText(descriptor)), p => p.Contains("list of data keys", StringComparison.Ordinal));

    private IBatchSink Sink(params (string Key, object? Value)[] extra)
    {
        var options = server.Options();
        foreach (var (key, value) in extra)
        {
            options[key] = value;
        }

        return (IBatchSink)BuiltInPlugins.Create("mysql_dynamic", new TestPluginContext(options));
    }

    private static async Task Batch(IBatchSink sink, IReadOnlyList<DeliveryItem> items) => await sink.SendBatchAsync(items, CancellationToken.None);
}
