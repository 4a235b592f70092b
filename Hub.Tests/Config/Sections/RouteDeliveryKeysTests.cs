using System.Text;
using Hub.Config;
using Hub.Pipeline;
using Hub.Tests.Support;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

/// <summary>A route's delivery keys: <c>failover</c>, <c>dedup</c>, <c>format.SERVICE[.TARGET]</c> and <c>title.…</c>.</summary>
public sealed class RouteDeliveryKeysTests
{
    // WithLog puts the topic section's header on line 7.
    private static TopicSection Section(string body) => LoadValid(WithLog("[house/#]\n" + body)).Sections.Single();

    [Fact]
    public void Failover_dedup_and_overrides_are_read_and_kept_out_of_the_extra_keys()
    {
        var section = Section("targets = log\nfailover = log:crit, log\ndedup = 10m\nformat.log = L {payload}\nformat.log.crit = C {payload}\ntitle.log.crit = Critical\nroom = hall\n");

        Assert.Equal(["log:crit", "log"], section.Failover);
        Assert.Equal(TimeSpan.FromMinutes(10), section.Dedup);
        Assert.Equal(new TargetOverride("L {payload}", null), section.Overrides["log"]);
        Assert.Equal(new TargetOverride("C {payload}", "Critical"), section.Overrides["log:crit"]);
        Assert.Equal(new Dictionary<string, string> { ["room"] = "hall" }, section.Extra);
    }

    [Theory]
    [InlineData("failover = a:b:c", "'failover' must list SERVICE or SERVICE:TARGET references")]
    [InlineData("dedup = soon", "'dedup' must be a duration such as 30s, 10m or 2h")]
    [InlineData("format. = x", "'format.' must be format.SERVICE or format.SERVICE.TARGET")]
    [InlineData("title..crit = x", "'title..crit' must be title.SERVICE or title.SERVICE.TARGET")]
    public void Bad_values_are_errors_at_their_line(string line, string message) =>
        AssertError(Load(WithLog($"[house/#]\ntargets = log\n{line}\n")), 9, message);

    [Fact]
    public void Unknown_services_and_targets_in_route_keys_are_warnings_at_their_line()
    {
        var result = Load(WithLog("[house/#]\ntargets = log\nfailover = nosuch:x\nformat.log.nosuch = y\n"));
        AssertWarning(result, 9, "'failover' names non-existing service 'nosuch'");
        AssertWarning(result, 10, "'format.log.nosuch' names non-existing target 'nosuch' in service 'log'");
    }

    [Fact]
    public void The_router_renders_the_most_specific_format_and_title_per_target()
    {
        var config = LoadValid(WithLog("[house/#]\ntargets = log\nformat = {payload}\ntitle = T\nformat.log = L {payload}\nformat.log.crit = C {payload}\ntitle.log.crit = Critical\n"));
        var outcome = Assert.Single(new MessageRouter(config, new CollectingLogger(), TimeProvider.System).Route("house/1", Encoding.UTF8.GetBytes("hot"), false));

        Assert.Equal(
            [("info", "L hot", "T"), ("crit", "C hot", "Critical")],
            outcome.Items.Select(i => (i.Target.Name, i.Item.Message, i.Item.Title)));
    }

    [Fact]
    public void Policy_keys_in_a_service_section_are_the_hosts_and_not_unknown_plugin_options()
    {
        var ini = WithLog("") .Replace("[config:log]\n", "[config:log]\nretries = 3\nrate.crit = 5/min\ndedup = 1h\nplugin_timeout = 5\n", StringComparison.Ordinal);
        var config = LoadValid(ini);
        var activation = BuiltInPlugins.Activate("log", config.FindService("log")!.Options);
        Assert.Empty(activation.Diagnostics);
    }
}
