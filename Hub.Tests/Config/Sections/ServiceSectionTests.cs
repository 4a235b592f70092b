using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

public sealed class ServiceSectionTests
{
    private static string Launching(string name, string body) => $"[defaults]\nlaunch = {name}\n\n[config:{name}]\n{body}";

    [Fact]
    public void Targets_keep_declaration_order_descriptors_and_the_line_of_their_key()
    {
        var service = LoadValid(Launching("log", """
            targets = {
                # a comment line inside the literal
                'info'   : [ 'info' ],       # trailing comment
                'warn'   : { 'level': 'warn', 'n': 2 },
                'url'    : 'https://ntfy.sh/x',
                'crit'   : [ 'crit' ],
              }
            """)).Services.Single();

        Assert.Equal(["info", "warn", "url", "crit"], service.Targets.Select(t => t.Name));
        Assert.Equal([7, 8, 9, 10], service.Targets.Select(t => t.Location.Line));
        Assert.Equal("[str:'info']", Describe(service.Targets[0].Descriptor));
        Assert.Equal("{level: str:'warn', n: int:2}", Describe(service.Targets[1].Descriptor));
        Assert.Equal("str:'https://ntfy.sh/x'", Describe(service.Targets[2].Descriptor));
    }

    [Fact]
    public void A_target_is_located_at_its_own_key_not_at_a_nested_key_of_the_same_name()
    {
        var service = LoadValid(Launching("ntfy", "targets = {\n    'a': {'url': 'x'},\n    'url': 'y',\n  }\n")).Services.Single();

        Assert.Equal([6, 7], service.Targets.Select(t => t.Location.Line));
    }

    [Fact]
    public void Without_targets_a_service_has_one_unnamed_target_with_an_empty_descriptor()
    {
        var target = Assert.Single(LoadValid(Launching("noop", "")).Services.Single().Targets);

        Assert.Null(target.Name);
        Assert.Equal("[]", Describe(target.Descriptor));
    }

    [Fact]
    public void The_module_defaults_to_the_instance_name_and_can_be_another_plugin_or_a_dll()
    {
        var config = LoadValid("[defaults]\nlaunch = log, alarm, custom\n[config:log]\n[config:alarm]\nmodule = 'log'\n[config:custom]\nmodule = plugins/My.Plugin.dll\n");

        Assert.Equal(["log", "log", Path.Combine(ConfigDirectory, "plugins", "My.Plugin.dll")], config.Services.Select(s => s.Module));
    }

    [Fact]
    public void Services_come_in_launch_order()
    {
        var config = LoadValid("[defaults]\nlaunch = b, a\n[config:a]\n[config:b]\n");

        Assert.Equal(["b", "a"], config.Services.Select(s => s.Name));
        Assert.Same(config.Services[1], config.FindService("a"));
    }

    [Fact]
    public void Other_keys_are_typed_plugin_options_in_declaration_order()
    {
        var service = LoadValid(Launching("smtp", "server = 'localhost:25'\nstarttls = False\nport = 25\nsender = None\nhtmlmsg = yes\n")).Services.Single();

        Assert.Equal(["server", "starttls", "port", "sender", "htmlmsg"], service.Options.Keys);
        Assert.Equal(["str:'localhost:25'", "bool:False", "int:25", "null", "str:'yes'"], service.Options.Values.Select(Describe));
    }

    [Fact]
    public void Decode_utf8_is_a_boolean()
    {
        Assert.False(LoadValid(Launching("file", "decode_utf8 = False\n")).Services.Single().DecodeUtf8);
        Assert.True(LoadValid(Launching("file", "")).Services.Single().DecodeUtf8);
        AssertError(Load(Launching("file", "decode_utf8 = perhaps\n")), 5, "'decode_utf8' must be a boolean");
    }

    [Theory]
    [InlineData("module = plugins/thing.so", "'module' must be a built-in plugin name, the path of a hub plugin .dll or a Python service module")]
    [InlineData("targets = ['a', 'b']", "'targets' must be a dict")]
    [InlineData("targets = { 'a': ['a'] 'b': ['b'] }", "it is not a valid literal")]
    public void A_bad_service_key_is_an_error_at_its_line(string line, string message)
    {
        var diagnostic = SingleError(Load(Launching("log", line + "\n")));

        Assert.Equal(5, diagnostic.Location.Line);
        Assert.Equal("config:log", diagnostic.Section);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dict_broken_by_an_unindented_comment_line_is_an_error()
    {
        // The comment line ends nothing, but the unindented "}" is not a continuation: mqttwarn would silently drop the targets.
        var result = Load(Launching("log", "targets = {\n    'a': ['a'],\n}\n"));

        AssertError(result, 7, "must be indented");
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("a,b")]
    [InlineData("a{b}")]
    public void An_instance_name_must_not_contain_separators(string name)
    {
        AssertError(Load($"[defaults]\nlaunch = ['{name}']\n[config:{name}]\n"), 3, "must not contain");
    }
}
