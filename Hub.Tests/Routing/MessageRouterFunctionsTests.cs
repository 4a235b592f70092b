using System.Text;
using Hub.Config;
using Hub.Functions;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Functions;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Routing;

/// <summary>Compiles one udf.csx for the whole class: each test routes its own topic.</summary>
public sealed class RouterFunctionsFixture : IDisposable
{
    private const string Script = """
        using System.Threading;

        var gate = new ManualResetEventSlim();

        bool OddSuppressed(string topic, string payload) => int.Parse(payload) % 2 == 1;
        bool Throws(string topic, string payload) => throw new InvalidOperationException("filter broke");

        IDictionary<string, object?> AddRoom(string topic, IDictionary<string, object?> data, HookContext ctx) =>
            new Dictionary<string, object?> { ["room"] = topic.Split('/')[1], ["building"] = ctx.Options["building"], ["source"] = "datamap", ["count"] = 2 };

        IDictionary<string, object?> AllData(string topic, IDictionary<string, object?> data)
        {
            var seen = data["room"];
            data["room"] = "mutated";
            return new Dictionary<string, object?> { ["source"] = "alldata", ["sawroom"] = seen, ["tags"] = new[] { "a", "b" } };
        }

        IEnumerable<string> PickTargets(string topic, IDictionary<string, object?> data) => new[] { "log:" + data["payload"] };
        object NotAList(string topic, IDictionary<string, object?> data) => 42;

        object? Message(IDictionary<string, object?> data) => $"{data["room"]}: {data["payload"]}";
        object? Nothing(IDictionary<string, object?> data) => data["payload"] is "empty" ? "" : null;
        object Number(IDictionary<string, object?> data) => 4.5;
        object Title(IDictionary<string, object?> data) => "T:" + data["topic"];
        object Priority(IDictionary<string, object?> data) => "7";
        object Image(IDictionary<string, object?> data) => "img.png";
        object Broken(IDictionary<string, object?> data) => throw new Exception("nope");
        object Hang(IDictionary<string, object?> data) { gate.Wait(); return "late"; }
        void Release() => gate.Set();
        """;

    public RouterFunctionsFixture()
    {
        Files.Script(Script)
            .Template("ok.j2", "{{room}} at {{_dthhmm}}: {{ nested | jsonify }}")
            .Template("fails.j2", "{% for i in (0..100000) %}{% endfor %}");
        Config = Files.LoadValid(FunctionFiles.Header + """
            [filter/#]
            targets = log:info
            filter = OddSuppressed()

            [filter-throws/#]
            targets = log:info
            filter = Throws()

            [data/#]
            targets = log:info
            building = 'B1'
            datamap = AddRoom()
            alldata = AllData()

            [targets/#]
            targets = PickTargets()

            [targets-bad/#]
            targets = NotAList()

            [render/#]
            targets = log:info
            datamap = AddRoom()
            building = 'B2'
            format = Message()
            title = Title()
            priority = Priority()
            image = Image()

            [number/#]
            targets = log:info
            format = Number()

            [suppress/#]
            targets = log:info
            format = Nothing()

            [broken/#]
            targets = log:info
            format = Broken()
            title = Broken()
            priority = Broken()

            [hang/#]
            targets = log:info
            format = Hang()

            [template/#]
            targets = log:info
            datamap = AddRoom()
            building = 'B3'
            format = never shown
            template = ok.j2

            [template-missing/#]
            targets = log:info
            template = nosuch.j2

            [template-fails/#]
            targets = log:info
            template = fails.j2

            [plain/#]
            targets = log:info
            format = {payload}!
            """);
    }

    internal FunctionFiles Files { get; } = new();

    public HubConfig Config { get; }

    public void Dispose()
    {
        var release = Config.Script!.Functions.Single(f => f.Name == "Release");
        release.Method.Invoke(release.Target, []);
        Files.Dispose();
    }
}

public sealed class MessageRouterFunctionsTests(RouterFunctionsFixture fixture) : IClassFixture<RouterFunctionsFixture>
{
    private readonly CollectingLogger _log = new();

    private SectionOutcome Route(string topic, string payload, TimeProvider? time = null) =>
        Assert.Single(new MessageRouter(fixture.Config, _log, time ?? TimeProvider.System).Route(topic, Encoding.UTF8.GetBytes(payload), false));

    [Fact]
    public void A_filter_returning_true_suppresses_the_message_for_its_section_and_logs_it()
    {
        var odd = Route("filter/x", "3");
        var even = Route("filter/x", "4");

        Assert.True(odd.Filtered);
        Assert.Empty(odd.Items);
        Assert.False(even.Filtered);
        Assert.Equal("4", Assert.Single(even.Items).Item.Message);
        Assert.Contains("Filter in section [filter/#] has skipped message on filter/x", _log.Messages(LogLevel.Information));
    }

    [Fact]
    public void A_filter_that_throws_lets_the_message_pass_and_logs_an_error()
    {
        var outcome = Route("filter-throws/x", "1");

        Assert.False(outcome.Filtered);
        Assert.Single(outcome.Items);
        Assert.Contains(_log.Messages(LogLevel.Error), m => m.StartsWith("Invoking function failed: Throws() (section [filter-throws/#]: InvalidOperationException: filter broke)", StringComparison.Ordinal));
    }

    [Fact]
    public void Datamap_then_alldata_results_are_merged_before_the_json_keys_and_functions_get_copies()
    {
        var outcome = Route("data/kitchen", """{"count": 5}""");

        Assert.Equal("kitchen", outcome.Data["room"]);
        Assert.Equal("B1", outcome.Data["building"]);
        Assert.Equal("alldata", outcome.Data["source"]);
        Assert.Equal("kitchen", outcome.Data["sawroom"]);
        Assert.Equal(5L, outcome.Data["count"]);
        Assert.Equal(new List<object?> { "a", "b" }, outcome.Data["tags"]);
    }

    [Fact]
    public void A_targets_function_picks_the_references()
    {
        var outcome = Route("targets/x", "warn");

        Assert.Equal(["log:warn"], outcome.References);
        Assert.Equal("warn", Assert.Single(outcome.Items).Item.Target);
    }

    [Fact]
    public void A_targets_function_returning_something_else_than_a_list_sends_nothing_and_logs_an_error()
    {
        var outcome = Route("targets-bad/x", "warn");

        Assert.Empty(outcome.Items);
        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("Topic target definition by function \"NotAList\" in section \"targets-bad/#\" is empty or incorrect. Should be a list. It returned 42", problem);
    }

    [Fact]
    public void Format_title_priority_and_image_functions_are_used_as_they_return()
    {
        var item = Assert.Single(Route("render/hall", "on\\n").Items).Item;

        Assert.Equal("hall: on\\n", item.Message);
        Assert.Equal("T:render/hall", item.Title);
        Assert.Equal(7, item.Priority);
        Assert.Equal("img.png", item.Image);
    }

    [Fact]
    public void A_non_text_format_result_is_rendered_like_python_str()
    {
        Assert.Equal("4.5", Assert.Single(Route("number/x", "x").Items).Item.Message);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("empty")]
    public void Null_or_empty_text_from_a_format_function_suppresses_the_message(string payload)
    {
        var outcome = Route("suppress/x", payload);

        Assert.Empty(outcome.Items);
        Assert.Contains("log:info: suppressed, the message is empty", outcome.Notes);
    }

    [Fact]
    public void A_function_that_throws_falls_back_to_the_default_of_its_field()
    {
        var item = Assert.Single(Route("broken/x", "raw\\ntext").Items).Item;

        Assert.Equal("raw\ntext", item.Message);
        Assert.Equal("hub: broken/x", item.Title);
        Assert.Equal(0, item.Priority);
        Assert.Equal(3, _log.Messages(LogLevel.Error).Count(m => m.StartsWith("Invoking function failed: Broken()", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_hanging_function_times_out_after_plugin_timeout_and_the_message_keeps_its_default()
    {
        var time = new FakeTimeProvider();
        var routing = Task.Run(() => Route("hang/x", "fallback", time));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(5));

        var item = Assert.Single((await routing.WaitAsync(TimeSpan.FromSeconds(30))).Items).Item;
        Assert.Equal("fallback", item.Message);
        Assert.Contains("Invoking function failed: Hang() (section [hang/#]: Hang() did not return within 5 s)", _log.Messages(LogLevel.Error));
    }

    [Fact]
    public void A_template_replaces_the_message_and_renders_with_the_data()
    {
        var outcome = Route("template/cellar", """{"nested": {"a": [1, 2.5, true, null]}}""");

        var expected = $"cellar at {outcome.Data["_dthhmm"]}: {{\"a\": [1, 2.5, true, null]}}";
        Assert.Equal(expected, Assert.Single(outcome.Items).Item.Message);
    }

    [Theory]
    [InlineData("template-missing/x", "nosuch.j2")]
    [InlineData("template-fails/x", "fails.j2")]
    public void A_template_that_cannot_render_keeps_the_message_and_logs_an_error(string topic, string name)
    {
        var outcome = Route(topic, "kept");

        Assert.Equal("kept", Assert.Single(outcome.Items).Item.Message);
        Assert.StartsWith($"Rendering template failed: {name}", Assert.Single(outcome.Problems), StringComparison.Ordinal);
        Assert.Contains(_log.Messages(LogLevel.Error), m => m.StartsWith($"Rendering template failed: {name}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_template_is_a_warning_at_load_with_its_line()
    {
        var warning = Assert.Single(fixture.Config.Warnings, w => w.Message.StartsWith("template", StringComparison.Ordinal));

        Assert.Contains("templates/nosuch.j2 not found", warning.Message, StringComparison.Ordinal);
        Assert.True(warning.Location.Line > 7);
    }

    [Fact]
    public void Send_to_targets_routes_through_the_named_section_without_its_filter()
    {
        var router = new MessageRouter(fixture.Config, _log, TimeProvider.System);

        var outcome = router.RouteToSection("filter/#", "elsewhere", "3");

        Assert.False(outcome.Filtered);
        Assert.Equal("3", Assert.Single(outcome.Items).Item.Message);
        Assert.Throws<ArgumentException>(() => router.RouteToSection("nosuch", "t", "p"));
    }

    [Fact]
    public void A_section_without_functions_routes_as_before()
    {
        Assert.Equal("x!", Assert.Single(Route("plain/a", "x").Items).Item.Message);
        Assert.False(fixture.Config.Functions.Sections.ContainsKey(fixture.Config.Sections.Single(s => s.Name == "plain/#")));
    }
}
