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
}
