using Hub.Config;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

public sealed class TopicSectionTests
{
    // WithLog puts the topic section's header on line 7.
    private static TopicSection Section(string body) => LoadValid(WithLog("[house/+/temp]\n" + body)).Sections.Single();

    [Fact]
    public void The_topic_defaults_to_the_section_name_and_fields_are_read_raw()
    {
        var section = Section("targets = log:info\nformat = {name}: {value}\ntitle = 'Alarm'\npriority = 1\nimage = pic.png\nroom = kitchen\n");

        Assert.Equal(("house/+/temp", "house/+/temp", 0), (section.Name, section.Topic, section.Qos));
        Assert.Equal(("{name}: {value}", "Alarm", "1", "pic.png"), (section.Format, section.Title, section.Priority, section.Image));
        Assert.Equal(new Dictionary<string, string> { ["room"] = "kitchen" }, section.Extra);
        Assert.Equal((7, 8), (section.Location.Line, section.TargetsLocation!.Line));
        Assert.Null(section.Timeout);
        Assert.False(section.NotifyOnlyOnTimeout);
    }

    [Fact]
    public void Topic_qos_timeout_and_notify_only_on_timeout_are_typed()
    {
        var section = Section("targets = log\ntopic = 'sensors/#'\nqos = 2\ntimeout = 60\nnotify_only_on_timeout = False\n");

        Assert.Equal(("sensors/#", 2, 60, false), (section.Topic, section.Qos, section.Timeout, section.NotifyOnlyOnTimeout));
        Assert.True(Section("targets = log\ntimeout = 5\nnotify_only_on_timeout = yes\n").NotifyOnlyOnTimeout);
    }

    [Fact]
    public void Sections_keep_file_order_and_two_sections_may_share_a_topic()
    {
        var config = LoadValid(WithLog("[b]\ntargets = log\n[a]\ntopic = b\ntargets = log:crit\n"));

        Assert.Equal(["b", "a"], config.Sections.Select(s => s.Name));
        Assert.Equal(["b", "b"], config.Sections.Select(s => s.Topic));
    }

    [Fact]
    public void A_section_without_targets_is_skipped_with_a_warning()
    {
        var result = Load(WithLog("[house/#]\nformat = x\n[Defaults]\nhostname = x\n"));

        Assert.True(result.Success);
        Assert.Empty(result.Config!.Sections);
        AssertWarning(result, 7, "Section `house/#' has no targets defined");
        AssertWarning(result, 9, "did you mean [defaults]?");
    }

    [Theory]
    [InlineData("qos = 3", "'qos' must be an integer from 0 to 2")]
    [InlineData("qos = high", "'qos' must be an integer from 0 to 2")]
    [InlineData("timeout = 0", "'timeout' must be an integer at least 1")]
    [InlineData("notify_only_on_timeout = sometimes", "'notify_only_on_timeout' must be a boolean")]
    [InlineData("topic = ''", "'topic' must not be empty")]
    [InlineData("template = ''", "'template' must name a file in templates/")]
    [InlineData("datamap = {'a': 1}", "'datamap' must name a user function")]
    [InlineData("filter = not a function", "'filter' must name a user function")]
    public void A_bad_topic_key_is_an_error_at_its_line(string line, string message)
    {
        var diagnostic = SingleError(Load(WithLog($"[house/#]\ntargets = log\n{line}\n")));

        Assert.Equal(9, diagnostic.Location.Line);
        Assert.Equal("house/#", diagnostic.Section);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_call_in_the_middle_of_a_format_is_plain_text()
    {
        Assert.Equal("value: f() ok", Section("targets = log\nformat = value: f() ok\n").Format);
    }

    [Fact]
    public void A_function_like_value_of_a_free_key_is_data_not_a_call()
    {
        Assert.Equal("x()", Section("targets = log\nnote = x()\n").Extra["note"]);
    }
}
