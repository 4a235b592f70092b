using Hub.Config;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

public sealed class TargetReferenceTests
{
    private static ConfigLoadResult LoadTargets(string value) => Load(WithLog($"[a/#]\ntargets = {value}\n"));

    private static TargetSpec Targets(string value) => LoadValid(WithLog($"[a/#]\ntargets = {value}\n")).Sections.Single().Targets;

    [Theory]
    [InlineData("log:info, log:crit,log", new[] { "log:info", "log:crit", "log" })]
    [InlineData("log", new[] { "log" })]
    [InlineData("'log:info'", new[] { "log:info" })]
    [InlineData("log:{level}, file:{camera}-{label}", new[] { "log:{level}", "file:{camera}-{label}" })]
    [InlineData("['log:info', 'log:crit']", new[] { "log:info", "log:crit" })]
    [InlineData("{level}", new[] { "{level}" })]
    public void A_list_of_references_is_comma_text_or_a_list_literal(string value, string[] expected) =>
        Assert.Equal(expected, Assert.IsType<TargetList>(Targets(value)).References);

    [Fact]
    public void A_dict_literal_is_a_dispatcher_with_one_or_more_references_per_filter()
    {
        var dispatch = Assert.IsType<TargetDispatch>(Targets("{\n    '/#': 'log:info',   # catch-all\n    '/test/+': [ 'log:crit', 'log' ],\n  }"));

        Assert.Equal(["/#", "/test/+"], dispatch.Entries.Select(e => e.Key));
        Assert.Equal(["log:info"], dispatch.Entries[0].Value);
        Assert.Equal(["log:crit", "log"], dispatch.Entries[1].Value);
    }

    [Fact]
    public void A_function_reference_is_recognised_before_a_literal_or_a_list()
    {
        var result = LoadTargets("pick_targets()");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Equal("pick_targets", Assert.IsType<TargetFunction>(result.Config!.Sections[0].Targets).FunctionName);
    }

    [Fact]
    public void Empty_items_are_dropped_with_a_warning()
    {
        var result = LoadTargets("log:info, , log:crit,");

        Assert.Equal(["log:info", "log:crit"], Assert.IsType<TargetList>(result.Config!.Sections[0].Targets).References);
        AssertWarning(result, 8, "An empty item in 'targets' is ignored");
    }

    [Fact]
    public void References_to_unknown_services_and_targets_are_warnings()
    {
        var result = LoadTargets("smtp, log:debug, log:info");

        Assert.True(result.Success);
        AssertWarning(result, 8, "Topic 'a/#' points to non-existing service 'smtp'");
        AssertWarning(result, 8, "Topic 'a/#' points to non-existing target 'debug' in service 'log'");
        Assert.Equal(2, result.Warnings.Count());
    }

    [Fact]
    public void Dispatcher_references_are_checked_too()
    {
        AssertWarning(LoadTargets("{'a/#': ['log:info', 'file:x']}"), 8, "non-existing service 'file'");
    }

    [Fact]
    public void A_reference_with_two_colons_is_an_error()
    {
        AssertError(LoadTargets("log:info:x"), 8, "Invalid topic target: log:info:x. Should be 'service:target'.");
    }

    [Theory]
    [InlineData("{}", "'targets' is an empty dict")]
    [InlineData("{'a/#': 5}", "The dispatcher entry 'a/#' must map to a target reference")]
    [InlineData("['log', 5]", "must contain only target references")]
    public void A_malformed_literal_is_an_error(string value, string message)
    {
        AssertError(LoadTargets(value), 8, message);
    }

    [Fact]
    public void Templated_references_are_not_checked_at_load()
    {
        Assert.Empty(LoadTargets("log:{level}, {service}:x").Warnings);
    }
}
