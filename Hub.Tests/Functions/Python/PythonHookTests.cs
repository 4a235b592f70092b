using System.Numerics;
using System.Text;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Functions.Python;

/// <summary>Every hook kind of mqttwarn-compat §6.8 run by a real CPython through the router.</summary>
public sealed class PythonHookTests(PythonHooksFixture fixture) : IClassFixture<PythonHooksFixture>
{
    private readonly CollectingLogger _log = new();

    private SectionOutcome Route(string topic, string payload, TimeProvider? time = null) =>
        Assert.Single(new MessageRouter(fixture.Config, _log, time ?? TimeProvider.System).Route(topic, Encoding.UTF8.GetBytes(payload), false));

    [Fact]
    public void A_filter_with_mqttwarns_four_arguments_suppresses_when_it_returns_true_and_logs_through_srv()
    {
        var odd = Route("filter/x", "3");
        var even = Route("filter/x", "4");

        Assert.True(odd.Filtered);
        Assert.Equal("4", Assert.Single(even.Items).Item.Message);
        Assert.Contains(fixture.Files.Log.Records, r => r.Category == "hub.functions.odd_suppressed" && r.Message == "filtering filter/x in filter/#" && r.Level == LogLevel.Information);
    }

    [Fact]
    public void A_legacy_two_argument_filter_and_a_one_argument_datamap_are_called_with_the_fallback_signatures()
    {
        Assert.True(Route("legacy/x", "drop").Filtered);
        var kept = Route("legacy/x", "keep");

        Assert.False(kept.Filtered);
        Assert.Equal(true, kept.Data["legacy"]);
    }

    [Fact]
    public void A_filter_that_raises_lets_the_message_pass_and_logs_the_exception_with_its_last_frame()
    {
        var outcome = Route("raises/x", "1");

        Assert.False(outcome.Filtered);
        Assert.Single(outcome.Items);
        var error = Assert.Single(_log.Messages(LogLevel.Error));
        Assert.Contains("Invoking function failed: raises() (section [raises/#]: PythonFunctionException: ZeroDivisionError: division by zero (udf.py:11 in raises))", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Datamap_gets_the_data_dict_and_alldata_gets_a_copy_and_values_come_back_as_hub_types()
    {
        var outcome = Route("data/kitchen", """{"count": 5}""");

        Assert.Equal("kitchen", outcome.Data["room"]);
        Assert.Equal("dict", outcome.Data["given"]);
        Assert.Equal("hub", outcome.Data["building"]);
        Assert.Equal("kitchen", outcome.Data["sawroom"]);
        Assert.Equal(new List<object?> { "a", "b" }, outcome.Data["tags"]);
        Assert.Equal(BigInteger.Pow(2, 70), outcome.Data["big"]);
        Assert.Equal(0.5, outcome.Data["ratio"]);
        Assert.Null(outcome.Data["nothing"]);
        Assert.Equal(new byte[] { 0, 255 }, outcome.Data["raw"]);
        Assert.Equal(true, outcome.Data["flag"]);
        Assert.Equal(5L, outcome.Data["count"]);
    }

    [Fact]
    public void A_targets_function_is_called_with_keywords_and_picks_the_references()
    {
        var outcome = Route("targets/x", "warn");

        Assert.Equal(["log:warn"], outcome.References);
        Assert.Equal("warn", Assert.Single(outcome.Items).Item.Target);
    }

    [Fact]
    public void A_targets_function_returning_something_else_than_a_list_sends_nothing()
    {
        var outcome = Route("targets-bad/x", "warn");

        Assert.Empty(outcome.Items);
        Assert.Equal("Topic target definition by function \"not_a_list\" in section \"targets-bad/#\" is empty or incorrect. Should be a list. It returned 42", Assert.Single(outcome.Problems));
    }

    [Fact]
    public void Format_title_priority_and_image_functions_are_used_as_they_return()
    {
        var item = Assert.Single(Route("render/hall", "on").Items).Item;

        Assert.Equal("hall: on", item.Message);
        Assert.Equal("T:render/hall", item.Title);
        Assert.Equal(7, item.Priority);
        Assert.Equal("img.png", item.Image);
    }

    [Fact]
    public void None_from_a_format_function_suppresses_and_a_float_is_rendered_like_python_str()
    {
        Assert.Empty(Route("suppress/x", "x").Items);
        Assert.Equal("4.5", Assert.Single(Route("number/x", "x").Items).Item.Message);
    }

    [Fact]
    public void A_function_that_raises_falls_back_to_the_default_of_each_field()
    {
        var item = Assert.Single(Route("broken/x", "raw").Items).Item;

        Assert.Equal("raw", item.Message);
        Assert.Equal("hub: broken/x", item.Title);
        Assert.Equal(0, item.Priority);
        Assert.Equal(3, _log.Messages(LogLevel.Error).Count(m => m.Contains("ValueError: nope (udf.py:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_function_that_never_returns_times_out_after_plugin_timeout_and_is_interrupted()
    {
        var time = new FakeTimeProvider();
        var routing = Task.Run(() => Route("spin/x", "fallback", time));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(5));

        var item = Assert.Single((await routing.WaitAsync(TimeSpan.FromSeconds(30))).Items).Item;
        Assert.Equal("fallback", item.Message);
        Assert.Contains("Invoking function failed: spin() (section [spin/#]: spin() did not return within 5 s)", _log.Messages(LogLevel.Error));

        // The interrupted function gave the GIL back: other Python calls still run.
        Assert.Equal("hall: on", Assert.Single(Route("render/hall", "on").Items).Item.Message);
    }

    [Fact]
    public async Task A_cron_function_gets_srv_and_publishes_through_the_hubs_client()
    {
        var job = Assert.Single(fixture.Config.Functions.Cron);

        await job.Function.InvokeAsync([], job.Context);

        var published = fixture.Files.Broker.Published.ToList();
        Assert.Contains(published, p => p.Topic == "cron/out" && Encoding.UTF8.GetString(p.Payload) == "pong" && p.Qos == 1 && p.Retain);
        Assert.Contains(published, p => p.Topic == "cron/raw" && p.Payload.SequenceEqual(new byte[] { 1, 2 }));
        Assert.Contains(fixture.Files.Log.Records, r => r.Category == "hub.functions.pinger" && r.Message == "pinged by hub" && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Calls_from_several_route_workers_at_once_each_get_their_own_result_without_deadlock()
    {
        var router = new MessageRouter(fixture.Config, _log, TimeProvider.System);
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Enumerable.Range(0, 200)
            .Select(i => Assert.Single(Assert.Single(router.Route($"render/r{w}", Encoding.UTF8.GetBytes($"{i}"), false)).Items).Item.Message)
            .ToList())).ToList();

        var results = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Empty(_log.Messages(LogLevel.Error));

        for (var w = 0; w < results.Length; w++)
        {
            Assert.Equal(Enumerable.Range(0, 200).Select(i => $"r{w}: {i}"), results[w]);
        }
    }
}
