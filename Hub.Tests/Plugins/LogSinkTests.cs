using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Plugins;

public sealed class LogSinkTests
{
    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("crit", LogLevel.Critical)]
    public async Task The_message_is_logged_at_the_targets_level(string level, LogLevel expected)
    {
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("log", context);
        await sink.SendAsync(Some.Item("disk full", Some.List(level)), CancellationToken.None);
        var record = Assert.Single(context.Log.Records);
        Assert.Equal(expected, record.Level);
        Assert.Equal("disk full", record.Message);
    }

    [Fact]
    public void An_unknown_level_is_a_configuration_error() =>
        Assert.Contains(BuiltInPlugins.Validate("log", Some.List("loud")), p => p.Contains("debug, info, warn, crit, error"));

    [Fact]
    public async Task An_unknown_level_at_run_time_fails_the_delivery()
    {
        var sink = BuiltInPlugins.Create("log", new TestPluginContext());
        await Assert.ThrowsAsync<Hub.Plugins.PermanentDeliveryException>(() => sink.SendAsync(Some.Item("x", Some.List("loud")), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_level_bound_once_serves_every_message_without_its_descriptor_being_parsed_again()
    {
        var context = new TestPluginContext();
        var sink = BuiltInPlugins.Create("log", context);
        var bound = BuiltInPlugins.Bind(sink, Some.List("warn"));

        await sink.SendAsync(BuiltInPlugins.WithBinding(Some.Item("one", Some.List("warn")), bound), CancellationToken.None);
        await sink.SendAsync(BuiltInPlugins.WithBinding(Some.Item("two", Some.List("warn")), bound), CancellationToken.None);

        Assert.Equal([(LogLevel.Warning, "one"), (LogLevel.Warning, "two")], context.Log.Records.Select(r => (r.Level, r.Message)));
    }
}
