using System.Text;
using Hub.Config;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Routing;

public sealed class MessageRouterTests
{
    private readonly CollectingLogger _log = new();

    private List<SectionOutcome> Route(TestConfig builder, string topic, string payload, bool retained = false) =>
        new MessageRouter(builder.Build(), _log, TimeProvider.System).Route(topic, Encoding.UTF8.GetBytes(payload), retained);

    private static TestConfig LogAndFile() => new TestConfig()
        .Service("log", ("info", Some.List("info")), ("warn", Some.List("warn")))
        .Service("file", ("f01", Some.List("/tmp/f01")));

    [Fact]
    public void Every_matching_section_runs_in_file_order()
    {
        var builder = LogAndFile()
            .Section("a/#", TestConfig.Targets("log:info"), name: "first")
            .Section("x/#", TestConfig.Targets("log:info"), name: "other")
            .Section("a/b", TestConfig.Targets("file:f01"), name: "second");
        var outcomes = Route(builder, "a/b", "hello");
        Assert.Equal(["first", "second"], outcomes.Select(o => o.Section.Name));
    }

    [Fact]
    public void Json_fields_are_formatted_into_title_message_and_priority()
    {
        var builder = LogAndFile().Section("t/#", TestConfig.Targets("log:info"),
            format: "{name}: {value:.1f}", title: "Alarm {name}", priority: "{level}");
        var item = Route(builder, "t/1", """{"name": "temp", "value": 21.54, "level": 2}""").Single().Items.Single().Item;
        Assert.Equal("temp: 21.5", item.Message);
        Assert.Equal("Alarm temp", item.Title);
        Assert.Equal(2, item.Priority);
        Assert.Equal("info", item.Target);
        Assert.Equal(Some.List("info"), item.Addrs);
    }

    [Fact]
    public void Without_format_the_message_is_the_payload_and_the_title_names_the_topic()
    {
        var item = Route(LogAndFile().Section("t/#", TestConfig.Targets("log:info")), "t/1", "plain text").Single().Items.Single().Item;
        Assert.Equal("plain text", item.Message);
        Assert.Equal("hub: t/1", item.Title);
        Assert.Equal(0, item.Priority);
    }

    [Fact]
    public void A_missing_key_falls_back_to_the_payload_with_an_error_line_and_the_outcome_says_why()
    {
        var builder = LogAndFile().Section("t/#", TestConfig.Targets("log:info"), format: "{name}: {value}");
        var outcome = new MessageRouter(builder.Build(), _log, TimeProvider.System) { ExplainFallbacks = true }.Route("t/1", "not json"u8.ToArray(), false).Single();
        Assert.Equal("not json", outcome.Items.Single().Item.Message);
        Assert.Single(_log.Messages(LogLevel.Error), m => m.Contains("Formatting message with function failed"));
        var fallback = Assert.Single(outcome.Fallbacks);
        Assert.StartsWith("format '{name}: {value}' failed: ", fallback);
        Assert.EndsWith("; falls back to the payload 'not json'", fallback);
    }

    [Fact]
    public void A_bare_service_means_all_its_targets_in_declaration_order()
    {
        var items = Route(LogAndFile().Section("t/#", TestConfig.Targets("log")), "t/1", "x").Single().Items;
        Assert.Equal(["info", "warn"], items.Select(i => i.Item.Target));
    }

    [Fact]
    public void Templated_references_are_formatted_with_the_data()
    {
        var items = Route(LogAndFile().Section("t/#", TestConfig.Targets("log:{level}")), "t/1", """{"level": "warn"}""").Single().Items;
        Assert.Equal("warn", Assert.Single(items).Item.Target);
    }

    [Fact]
    public void A_reference_whose_templating_fails_is_dropped_and_the_others_are_delivered()
    {
        var outcome = Route(LogAndFile().Section("t/#", TestConfig.Targets("log:{missing}", "file:f01")), "t/1", "{}").Single();
        Assert.Equal("f01", Assert.Single(outcome.Items).Item.Target);
        Assert.Contains(outcome.Problems, p => p.StartsWith("Interpolating transformation data into topic target 'log:{missing}' failed"));
    }

    [Theory]
    [InlineData("nosuch:x", "points to non-existing service 'nosuch'")]
    [InlineData("log:nosuch", "points to non-existing target 'nosuch' in service 'log'")]
    [InlineData("log:a:b", "Invalid topic target: log:a:b. Should be 'service:target'.")]
    public void Unknown_references_are_reported_and_skipped(string reference, string problem)
    {
        var outcome = Route(LogAndFile().Section("t/#", TestConfig.Targets(reference, "file:f01")), "t/1", "x").Single();
        Assert.Contains(outcome.Problems, p => p.Contains(problem));
        Assert.Equal("f01", Assert.Single(outcome.Items).Item.Target);
    }

    [Fact]
    public void The_dispatcher_sends_to_the_most_specific_key_only()
    {
        var dispatch = new TargetDispatch([
            KeyValuePair.Create("a/#", (IReadOnlyList<string>)["log:info"]),
            KeyValuePair.Create("a/b/+", (IReadOnlyList<string>)["log:warn", "file:f01"]),
        ]);
        var items = Route(LogAndFile().Section("a/#", dispatch), "a/b/c", "x").Single().Items;
        Assert.Equal(["warn", "f01"], items.Select(i => i.Item.Target));
        Assert.Equal("info", Route(LogAndFile().Section("a/#", dispatch), "a/z", "x").Single().Items.Single().Item.Target);
    }

    [Fact]
    public void An_empty_message_is_suppressed()
    {
        var outcome = Route(LogAndFile().Section("t/#", TestConfig.Targets("log:info")), "t/1", "").Single();
        Assert.Empty(outcome.Items);
        Assert.Contains(_log.Messages(LogLevel.Information), m => m.StartsWith("Notification suppressed. Reason: Payload is empty."));
    }

    [Fact]
    public void Retained_messages_are_skipped_with_skipretained()
    {
        var builder = LogAndFile().Section("t/#", TestConfig.Targets("log:info"));
        builder.Defaults = new DefaultsOptions { SkipRetained = true };
        Assert.Empty(Route(builder, "t/1", "x", retained: true));
        Assert.Single(Route(builder, "t/1", "x", retained: false));
    }

    [Fact]
    public void Backslash_n_in_a_format_becomes_a_line_break()
    {
        var item = Route(LogAndFile().Section("t/#", TestConfig.Targets("log:info"), format: @"line1\nline2"), "t/1", "x").Single().Items.Single().Item;
        Assert.Equal("line1\nline2", item.Message);
    }

    [Fact]
    public void Invalid_utf8_is_decoded_with_replacement_characters_and_delivery_continues()
    {
        var builder = LogAndFile().Section("t/#", TestConfig.Targets("log:info"));
        var outcome = new MessageRouter(builder.Build(), _log, TimeProvider.System).Route("t/1", new byte[] { 0x61, 0xFF, 0x62 }, false).Single();
        Assert.Equal("a\uFFFDb", outcome.Items.Single().Item.Message);
        Assert.Contains(_log.Messages(LogLevel.Warning), m => m.Contains("not valid UTF-8"));
    }

    [Fact]
    public void Invalid_utf8_reaches_a_target_without_format_as_the_bytes_of_the_replaced_text()
    {
        var builder = LogAndFile().Section("t/#", TestConfig.Targets("file:f01"));
        var item = new MessageRouter(builder.Build(), _log, TimeProvider.System).Route("t/1", new byte[] { 0x61, 0xFF, 0x62 }, false).Single().Items.Single().Item;
        Assert.False(item.IsBinary);
        Assert.Equal("a\uFFFDb"u8.ToArray(), item.MessageBytes.ToArray());
        Assert.Equal(new byte[] { 0x61, 0xFF, 0x62 }, item.Payload.ToArray());
    }

    [Fact]
    public void A_service_with_decode_utf8_false_gets_the_raw_bytes()
    {
        var payload = new byte[] { 0xFF, 0x00, 0x10 };
        var builder = new TestConfig().Service("file", decodeUtf8: false, ("raw", Some.List("/tmp/raw"))).Section("cam/#", TestConfig.Targets("file:raw"));
        var item = new MessageRouter(builder.Build(), _log, TimeProvider.System).Route("cam/1", payload, false).Single().Items.Single().Item;
        Assert.True(item.IsBinary);
        Assert.Equal(payload, item.MessageBytes.ToArray());
    }

    [Fact]
    public void Priority_text_that_is_not_an_integer_becomes_zero_with_an_error()
    {
        var item = Route(LogAndFile().Section("t/#", TestConfig.Targets("log:info"), priority: "{p}"), "t/1", """{"p": "high"}""").Single().Items.Single().Item;
        Assert.Equal(0, item.Priority);
        Assert.Contains(_log.Messages(LogLevel.Error), m => m.StartsWith("Failed to determine the priority, defaulting to zero"));
    }

    [Fact]
    public void Hub_events_go_through_the_failover_section()
    {
        var builder = LogAndFile().Failover(TestConfig.Targets("log:warn"), title: "hub event");
        var outcome = new MessageRouter(builder.Build(), _log, TimeProvider.System).RouteEvent("brokerdisconnected", "Broker connection lost. Will attempt to reconnect in 1s");
        var item = outcome!.Items.Single().Item;
        Assert.Equal("brokerdisconnected", item.Topic);
        Assert.Equal("hub event", item.Title);
        Assert.Equal("Broker connection lost. Will attempt to reconnect in 1s", item.Message);
    }

    [Fact]
    public void Without_a_failover_section_an_event_is_only_logged()
    {
        Assert.Null(new MessageRouter(LogAndFile().Build(), _log, TimeProvider.System).RouteEvent("brokerdisconnected", "lost"));
        Assert.Contains(_log.Messages(LogLevel.Warning), m => m.Contains("Section [failover] does not exist"));
    }
}
