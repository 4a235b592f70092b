using Hub.Plugins;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Plugins.Carbon;

/// <summary>The carbon plugin against Debian's carbon-cache (graphite-carbon), read back from whisper with whisper-fetch.</summary>
public sealed class CarbonSinkTests(CarbonFixture carbon) : IClassFixture<CarbonFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private CarbonServer Server => carbon.Server;

    [Fact]
    public async Task The_three_mqttwarn_message_shapes_arrive_in_whisper_over_plaintext()
    {
        var now = StorageItems.Recent(30);
        var at = now.ToUnixTimeSeconds();
        var target = Some.List(Server.Server.Host, (long)Server.PlaintextPort);
        await Sink().SendBatchAsync(
        [
            StorageItems.Item("21.5", target, now, "/plain/boiler/temp"),
            StorageItems.Item("plain.named 7", target, now),
            StorageItems.Item($"plain.timed 3.25 {at - 10}", target, now),
        ], CancellationToken.None);

        Assert.Equal(21.5, (await Server.FetchAsync("plain.boiler.temp", at - 1, 1, Wait))[at]);
        Assert.Equal(7, (await Server.FetchAsync("plain.named", at - 1, 1, Wait))[at]);
        Assert.Equal(3.25, (await Server.FetchAsync("plain.timed", at - 11, 1, Wait))[at - 10]);
    }

    [Fact]
    public async Task A_pickled_batch_with_a_prefix_arrives_whole()
    {
        var start = StorageItems.Recent(1300).ToUnixTimeSeconds();
        var target = Some.Dict(("host", Server.Server.Host), ("port", (long)Server.PicklePort), ("protocol", "pickle"), ("prefix", "hub."));
        var batch = Enumerable.Range(0, 1200).Select(i => StorageItems.Item($"pickled.series {i} {start + i}", target, StorageItems.Recent())).ToList();
        await Sink().SendBatchAsync(batch, CancellationToken.None);

        var points = await Server.FetchAsync("hub.pickled.series", start - 1, 300, Wait);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (double)i), Enumerable.Range(0, 300).Select(i => points[start + i]));
        var all = await Server.FetchAsync("hub.pickled.series", start - 1, 1200, Wait);
        Assert.Equal(1199, all[start + 1199]);
    }

    [Fact]
    public async Task A_message_that_is_no_metric_is_left_out_of_its_batch_and_fails_alone()
    {
        var context = new TestPluginContext();
        var sink = (IBatchSink)BuiltInPlugins.Create("carbon", context);
        var now = StorageItems.Recent(20);
        var target = Some.List(Server.Server.Host, (long)Server.PlaintextPort);
        await sink.SendBatchAsync([StorageItems.Item("bad.value hot", target, now), StorageItems.Item("good.value 1", target, now)], CancellationToken.None);

        Assert.Equal(1, (await Server.FetchAsync("good.value", now.ToUnixTimeSeconds() - 1, 1, Wait))[now.ToUnixTimeSeconds()]);
        Assert.Contains(context.Log.Messages(LogLevel.Warning), m => m.Contains("'hot' is not a number", StringComparison.Ordinal));
        Assert.False(File.Exists(Server.WhisperFile("bad.value")));
        var alone = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(StorageItems.Item("a b c d", target, now), CancellationToken.None).AsTask());
        DeliveryFailures.AssertPermanent(alone);
    }

    [Fact]
    public async Task A_carbon_that_is_not_listening_is_a_transient_failure()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(StorageItems.Item("1", Some.List("127.0.0.1", (long)Loopback.ClosedPort()), StorageItems.Recent()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("carbon", Some.List("localhost", 2003L)));
        Assert.Empty(BuiltInPlugins.Validate("carbon", Some.List("localhost", "2003")));
        Assert.Empty(BuiltInPlugins.Validate("carbon", Some.List()));
        Assert.Empty(BuiltInPlugins.Validate("carbon", Some.Dict(("protocol", "pickle"))));
        Assert.Contains("port must be between", Assert.Single(BuiltInPlugins.Validate("carbon", Some.List("localhost", 70000L))));
        Assert.Contains("'protocol' must be", Assert.Single(BuiltInPlugins.Validate("carbon", Some.Dict(("protocol", "udp")))));
        Assert.NotEmpty(BuiltInPlugins.Validate("carbon", Some.List("localhost")));

        var bad = BuiltInPlugins.Activate("carbon", Some.Dict(("protocol", "json"), ("prefix", "a b")));
        Assert.Null(bad.Instance);
        Assert.Equal(["prefix", "protocol"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    private static IBatchSink Sink() => (IBatchSink)BuiltInPlugins.Create("carbon", new TestPluginContext());
}
