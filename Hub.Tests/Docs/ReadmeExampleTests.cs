using System.Text.RegularExpressions;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Docs;

/// <summary>The README's first complete configuration is what a new user copies: it must pass <c>hub check --strict</c> and route as it says.</summary>
public sealed class ReadmeExampleTests
{
    private static string RouteInFull()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var match = Regex.Match(readme, @"A route in full.*?```ini\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "the README has lost its 'A route in full' example");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task The_README_route_in_full_passes_a_strict_check_and_formats_as_shown()
    {
        using var temp = new TempDirectory();
        var secret = temp.Write("smtp-password", "pw\n");
        var path = temp.Write("hub.ini", RouteInFull().Replace("/run/secrets/smtp", secret, StringComparison.Ordinal));

        var (code, output, error) = await CliRunner.RunAsync("check", "--strict", "--config", path, "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, error);
        Assert.Contains("OK (2 topic sections, 3 services, 4 targets)", output);

        (code, output, error) = await CliRunner.RunAsync("test", "--config", path, "--plugins", Repo.PluginDirectory,
            "sensors/kitchen/temperature", """{"device": "kitchen", "temperature": 21.53}""");
        Assert.True(code == 0, output + error);
        Assert.Matches(@"-> file:sensors\s+title:.*\s+message:\s+'\S+Z kitchen: 21\.5 °C'", output);
        Assert.DoesNotContain("pw", output.Replace("priority", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
