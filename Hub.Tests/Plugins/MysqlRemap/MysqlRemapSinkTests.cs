using Hub.Plugins;
using Hub.Tests.Plugins.Postgres;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.MysqlRemap;

/// <summary>The <c>mysql_remap</c> sink against a real MariaDB (one server for the class): data keys mapped to columns, plus constants.</summary>
public sealed class MysqlRemapSinkTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static readonly DateTime Noon = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Mapped_data_keys_and_constants_become_a_row_and_keys_without_a_column_are_left_out()
    {
        await server.QueryAsync("CREATE TABLE remap_plain (id INT AUTO_INCREMENT PRIMARY KEY, device VARCHAR(50), celsius DOUBLE, site VARCHAR(50), kind INT)");
        var target = Some.List("remap_plain", Some.Dict(("dev", "device"), ("t", "celsius"), ("extra", "nowhere")), Some.Dict(("site", "attic"), ("kind", 7L)));
        await Batch(Sink(), [
            PostgresSinkTests.Reading("r/1", """{"dev": "s1", "t": 20.5, "extra": 1}""", target, Noon),
            PostgresSinkTests.Reading("r/1", """{"dev": "s2", "t": "21"}""", target, Noon)]);
        Assert.Equal("s1\t20.5\tattic\t7\ns2\t21\tattic\t7", await server.QueryAsync("SELECT device, celsius, site, kind FROM remap_plain ORDER BY id"));
    }

    [Fact]
    public async Task Keys_inside_nested_objects_are_found_and_the_table_name_may_use_the_data()
    {
        await server.QueryAsync("CREATE TABLE remap_room_kitchen (device VARCHAR(50), celsius DOUBLE)");
        var target = Some.List("remap_room_{room}", Some.Dict(("dev", "device"), ("t", "celsius")));
        await Batch(Sink(), [PostgresSinkTests.Reading("r/2", """{"room": "kitchen", "sensor": {"dev": "k1", "values": {"t": 19.5}}}""", target, Noon)]);
        Assert.Equal("k1\t19.5", await server.QueryAsync("SELECT device, celsius FROM remap_room_kitchen"));
    }

    [Fact]
    public async Task A_text_value_with_a_template_is_formatted_with_the_data()
    {
        await server.QueryAsync("CREATE TABLE remap_format (label VARCHAR(100))");
        var target = Some.List("remap_format", Some.Dict(("label", "label")), null);
        await Batch(Sink(), [PostgresSinkTests.Reading("r/3", """{"label": "{topic} says {n}", "n": 5}""", target, Noon)]);
        Assert.Equal("r/3 says 5", await server.QueryAsync("SELECT label FROM remap_format"));
    }

    [Fact]
    public async Task A_missing_table_is_a_permanent_failure()
    {
        var failure = await Assert.ThrowsAsync<PermanentDeliveryException>(() => Batch(Sink(), [PostgresSinkTests.Reading("r/4", """{"a": 1}""", Some.List("remap_absent", Some.Dict(("a", "a"))), Noon)]));
        Assert.Contains("`remap_absent` does not exist", failure.Message);
    }

    [Theory]
    [InlineData("['t']", "the target must be")]
    [InlineData("['t', 'a']", "the second item must map")]
    [InlineData("['t', {'a': 'b'}, ['c']]", "the third item must map")]
    public void A_descriptor_of_the_wrong_shape_is_reported_at_load(string descriptor, string message) =>
        Assert.Contains(BuiltInPlugins.Validate("mysql_remap", Hub.Config.Values.PythonLiteral.ParseOrText(descriptor)), p => p.Contains(message, StringComparison.Ordinal));

    private IBatchSink Sink() => (IBatchSink)BuiltInPlugins.Create("mysql_remap", new TestPluginContext(server.Options()));

    private static async Task Batch(IBatchSink sink, IReadOnlyList<DeliveryItem> items) => await sink.SendBatchAsync(items, CancellationToken.None);
}
