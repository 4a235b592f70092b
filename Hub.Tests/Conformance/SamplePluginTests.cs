using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Conformance;

/// <summary>The authoring kit works end to end: the sample, built against the packed contract, loads and runs in the hub.</summary>
public sealed class SamplePluginTests(SamplePluginFixture sample) : IClassFixture<SamplePluginFixture>
{
    [Fact]
    public void The_sample_references_the_package_and_ships_no_copy_of_the_contract()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "samples", "HelloPlugin", "HelloPlugin.csproj"));
        Assert.Contains("<PackageReference Include=\"Hub.Plugins.Abstractions\" Version=\"0.1.0\"", project);
        Assert.DoesNotContain("ProjectReference", project);
        Assert.True(File.Exists(sample.AssemblyPath));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(sample.AssemblyPath)!, "Hub.Plugins.Abstractions.dll")));
    }

    [Fact]
    public async Task Hub_plugins_lists_the_sample_with_its_options()
    {
        var (code, output, error) = await CliRunner.RunAsync("plugins", "--plugins", sample.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Contains("hello  1.0.0.0  sink (binds targets, initializes)", output);
        Assert.Matches(@"greeting\s+text\s+default 'Hello'\s+the word before each message", output);
        Assert.Matches(@"path\s+text\s+required", output);
    }

    [Fact]
    public async Task The_sample_ini_passes_hub_check()
    {
        var (code, output, error) = await CliRunner.RunAsync("check", "--config", Path.Combine(Repo.Root, "samples", "HelloPlugin", "sample.ini"), "--plugins", sample.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Contains("OK (1 topic sections, 1 services, 1 targets)", output);
    }

    [Fact]
    public async Task Hub_notify_delivers_through_the_sample_loaded_by_path()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = greeter

            [config:greeter]
            module = '{sample.AssemblyPath}'
            path = 'out/greetings.txt'
            greeting = 'Hi'
            shout = yes
            """);
        var (code, output, error) = await CliRunner.RunAsync("notify", "greeter", "world", "--config", config);
        Assert.True(code == 0, error + output);
        Assert.Equal("HI, WORLD!\n", File.ReadAllText(Path.Combine(temp.Path, "out", "greetings.txt"))); // out/ made by InitializeAsync
    }

    [Fact]
    public async Task The_samples_own_validation_is_reported_at_the_line_of_the_key()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", """
            [defaults]
            launch = hello

            [config:hello]
            path = 'greetings.txt'
            greeting = ''

            [greetings/#]
            targets = hello
            """);
        var (code, _, error) = await CliRunner.RunAsync("check", "--config", config, "--plugins", sample.PluginDirectory);
        Assert.Equal(2, code);
        Assert.Contains($"{config}:6: [config:hello] option 'greeting': must not be empty", error);
    }
}
