using Hub.Tests.Support;

namespace Hub.Tests.Cli;

public sealed class PluginsCommandTests
{
    [Fact]
    public async Task Hub_plugins_lists_name_kind_version_path_and_options_with_defaults()
    {
        var (code, output, error) = await CliRunner.RunAsync("plugins", "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Contains("file  0.1.0.0  sink (batches, binds targets, disposes)", output);
        Assert.Contains(Path.Combine(Repo.PluginDirectory, "File", "File.dll"), output);
        Assert.Matches(@"append_newline\s+bool\s+default False\s+write a line break after each message", output);
        Assert.Contains("log  0.1.0.0  sink", output);
        Assert.Contains("mqttpub  0.1.0.0  sink", output);
        Assert.Contains("sample:  hub sample mqttpub", output);
    }

    [Fact]
    public async Task Hub_plugins_shows_the_libraries_each_plugin_carries_with_their_versions()
    {
        var (code, output, error) = await CliRunner.RunAsync("plugins", "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Matches(@"(?m)^smtp  .*\n(  .*\n)*?  libraries: BouncyCastle.Cryptography 2\.7\.0, Hub.Plugins.Common 0\.1\.0, MailKit 4\.18\.2, MimeKit 4\.18\.2, System.Security.Cryptography.Pkcs 10\.0\.13\n", output.ReplaceLineEndings("\n"));
        Assert.Matches(@"(?m)^telegram  .*\n(  .*\n)*?  libraries: Hub.Plugins.Common 0\.1\.0, Telegram.Bot 22\.10\.4\n", output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("Microsoft.Extensions.Options", output, StringComparison.Ordinal);    // shared with the host, not private
    }

    [Fact]
    public async Task Hub_plugins_reads_the_plugin_directories_of_the_config_file()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            """);
        var (code, output, error) = await CliRunner.RunAsync("plugins", "--config", path);
        Assert.True(code == 0, error);
        Assert.Contains($"Plugin directories: {Repo.PluginDirectory}", output);
        Assert.Contains("mqttpub", output);
    }

    [Fact]
    public async Task Hub_sample_prints_the_sample_ini_of_a_plugin()
    {
        var (code, output, error) = await CliRunner.RunAsync("sample", "file", "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Root, "Plugins", "Storage", "File", "sample.ini")), output);
    }

    [Fact]
    public async Task Hub_sample_of_an_unknown_plugin_names_the_known_ones_and_exits_2()
    {
        var (code, _, error) = await CliRunner.RunAsync("sample", "nosuch", "--plugins", Repo.PluginDirectory);
        Assert.Equal(2, code);
        Assert.Matches(@"unknown plugin 'nosuch' \(plugins: ([\w-]+, )*file, ([\w-]+, )*log, ([\w-]+, )*mqttpub(, [\w-]+)*\)", error);    // sorted, among each plugin built since
    }

    [Fact]
    public async Task Hub_check_reports_an_invalid_option_at_the_line_of_its_key()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            launch = file

            [config:file]
            overwrite = False
            append_newline = maybe
            targets = {"{"} 'f': ['/tmp/x'] {"}"}

            [a/#]
            targets = file:f
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path, "--plugins", Repo.PluginDirectory);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:6: [config:file] option 'append_newline': must be a boolean (True or False), not 'maybe'", error);
    }

    [Fact]
    public async Task Hub_check_warns_about_an_unknown_option_at_its_line_and_passes()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $"""
            [defaults]
            launch = log

            [config:log]
            level = info
            targets = {"{"} 'info': ['info'] {"}"}

            [a/#]
            targets = log:info
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path, "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Contains($"{path}:5: warning: [config:log] option 'level': unknown option, ignored (this plugin has no options)", error);
    }
}
