using System.Text.RegularExpressions;
using Hub.Tests.Support;

namespace Hub.Tests.Cli;

public sealed class CheckCommandTests
{
    private static string Plugins => $"plugins = '{Repo.PluginDirectory}'";

    [Fact]
    public async Task A_valid_configuration_passes_with_a_summary()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = log

            [config:log]
            targets = {"{"} 'info': ['info'] {"}"}

            [a/#]
            targets = log:info
            """);
        var (code, output, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.True(code == 0, error);
        Assert.Contains("OK (1 topic sections, 1 services, 1 targets)", output);
    }

    [Fact]
    public async Task Every_error_is_reported_with_file_and_line_and_exit_code_2()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = log, nosuch
            port = eighty

            [config:log]
            targets = {"{"} 'info': ['loud'] {"}"}
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:3:", error);
        Assert.Contains($"{path}:4:", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task A_target_descriptor_the_plugin_rejects_is_reported_at_its_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = log

            [config:log]
            targets = {"{"}
                'info': ['info'],
                'bad' : ['loud'],
              {"}"}
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, code);
        Assert.Contains("target 'bad': log level must be one of", error);
        Assert.Contains($"{path}:", error);
    }

    [Fact]
    public async Task An_unknown_module_names_the_plugins_that_are_there()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = pager

            [config:pager]
            targets = {"{"} 'x': ['y'] {"}"}
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, code);
        // the list grows with every built-in plugin: check the first ones and the shape
        Assert.Matches(Regex.Escape($"{path}:5: [config:pager]: unknown service module 'pager' (plugins loaded: ") + @"([\w-]+, )*file, ([\w-]+, )*log, ([\w-]+, )*mqttpub(, [\w-]+)*\)", error);
    }

    [Fact]
    public async Task A_missing_configuration_file_is_exit_code_2()
    {
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", "/nonexistent/hub.ini");
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public async Task The_shipped_hub_ini_is_valid()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "hub.ini")).Replace("launch    = file", $"{Plugins}\nlaunch    = file");
        using var temp = new TempDirectory();
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", temp.Write("hub.ini", text));
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task A_template_error_is_reported_at_the_template_line_and_names_the_ini_line()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("templates"));
        var template = temp.Write(Path.Combine("templates", "alert.j2"), "Alarm {{ room }}\n{% if temp > 30 %}\nhot\n{% elif temp > 20 %}\nwarm\n{% endif %}\n");
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = log

            [config:log]
            targets = {"{"} 'info': ['info'] {"}"}

            [a/#]
            targets = log:info
            template = alert.j2
            """);

        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);

        Assert.Equal(2, code);
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith(template, StringComparison.Ordinal));
        Assert.StartsWith($"{template}:4: unknown filter or tag 'elif'", line, StringComparison.Ordinal);
        Assert.Contains($"template = alert.j2 in [a/#], {path}:10", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Invalid_topic_filters_are_errors_at_their_lines()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = log

            [config:log]
            targets = {"{"} 'info': ['info'] {"}"}

            [sensors/#/temp]
            targets = log:info

            [other]
            topic = a/b#
            targets = log:info
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:8: [sensors/#/temp] invalid topic filter 'sensors/#/temp': '#' must be the last level, alone", error);
        Assert.Contains($"{path}:12: [other] invalid topic filter 'a/b#': '#' must be the last level, alone", error);
    }

    [Fact]
    public async Task Target_descriptors_of_the_wrong_shape_are_errors_at_their_lines()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = file, smtp

            [config:file]
            targets = {"{"}
                'good': ['out.log'],
                'bad': 42,
                'odd': {"{"}'path': 'odd.log', 'colour': 'red'{"}"},
              {"}"}

            [config:smtp]
            sender = 'hub@example.org'
            targets = {"{"} 'ops': 'ops@example.org' {"}"}
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:8: [config:file] target 'bad': the target must be ['/path/to/file'] or {"{"}'path': '/path/to/file'{"}"}, not 42", error);
        Assert.Contains($"{path}:9: [config:file] target 'odd': unknown key 'colour' in the target", error);
        Assert.Contains($"{path}:14: [config:smtp] target 'ops': the target must be a list of addresses", error);
        Assert.DoesNotContain("'good'", error);
    }

    [Fact]
    public async Task A_format_string_that_can_never_work_is_a_warning_and_strict_makes_it_an_error()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            {Plugins}
            launch = log

            [config:log]
            targets = {"{"} 'info': ['info'] {"}"}

            [sensors/+/temp]
            targets = log:info
            format = {"{"}temperature:.1q{"}"} °C
            title = {"{"}sensor!z{"}"}
            """);

        var (code, output, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.True(code == 0, error);
        Assert.Contains("OK", output);
        Assert.Contains($"{path}:10: warning: [sensors/+/temp] 'format' can never be rendered (unknown format code 'q' in {"{"}temperature:.1q{"}"}): the message falls back to the payload", error);
        Assert.Contains($"{path}:11: warning: [sensors/+/temp] 'title': unknown conversion '!z' is ignored", error);

        (code, output, error) = await CliRunner.RunAsync("check", "--strict", "--config", path);
        Assert.Equal(2, code);
        Assert.DoesNotContain("OK", output);
        Assert.Contains($"{path}:10: [sensors/+/temp] 'format' can never be rendered", error);
        Assert.Contains($"{path}:11: [sensors/+/temp] 'title': unknown conversion '!z'", error);
        Assert.DoesNotContain("warning:", error);
    }

    [Fact]
    public async Task A_plugin_assembly_that_cannot_load_is_reported_and_the_check_passes_with_the_others()
    {
        using var temp = new TempDirectory();
        var plugins = GraphPlugins.Install(temp.Path, ["Log"], "FixtureBroken");
        var path = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{plugins}'
            launch = log

            [config:log]
            targets = {"{"} 'info': ['info'] {"}"}

            [a/#]
            targets = log:info
            """);
        var (code, output, error) = await CliRunner.RunAsync("check", "--config", path);
        Assert.True(code == 0, error);
        Assert.Contains("OK (1 topic sections, 1 services, 1 targets)", output);
        Assert.Contains($"{path}:2: warning: plugin not loaded: {Path.Combine(plugins, "FixtureBroken", "FixtureBroken.dll")}: Could not load file or assembly 'Newtonsoft.Json", error);
        Assert.DoesNotContain("hub: error", error);
    }
}
