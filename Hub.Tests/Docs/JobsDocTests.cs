using System.Text.RegularExpressions;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Docs;

/// <summary>docs/jobs.md's sample sections are what users copy: together they must pass <c>hub check --strict</c>.</summary>
public sealed class JobsDocTests
{
    private const string Preamble = """
        [defaults]
        launch = smtp

        [config:smtp]
        server = 'smtp.example.org:587'
        sender = 'Hub <hub@example.org>'
        htmlmsg = True
        targets = {'ops': ['ops@example.org']}

        [history]

        [history:plant]
        topic = plant/#

        """;

    private static List<string> Samples()
    {
        var page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "jobs.md"));
        return Regex.Matches(page, @"```ini\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public async Task The_sample_of_every_job_kind_passes_a_strict_check()
    {
        var samples = Samples();
        Assert.Equal(["profile", "forecast", "correlation", "report"], samples.Select(s => Regex.Match(s, @"kind = (\w+)").Groups[1].Value));
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", Preamble + string.Join("\n", samples));

        var (code, output, error) = await CliRunner.RunAsync("check", "--strict", "--config", path, "--plugins", Repo.PluginDirectory);

        Assert.True(code == 0, output + error);
    }

    [Fact]
    public async Task A_broken_job_fails_the_check_with_file_and_line_and_exit_code_2()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", Preamble + "[job:a]\nkind = forecast\nseries = x\nschedule = 0 0 25 * * ?\ntimezone = Atlantis/Central\n\n[job:b]\nkind = nope\n");
        var lines = Preamble.Count(c => c == '\n');

        var (code, output, error) = await CliRunner.RunAsync("check", "--config", path, "--plugins", Repo.PluginDirectory);

        Assert.Equal(2, code);
        var text = output + error;
        Assert.Contains($"hub.ini:{lines + 4}: ", text, StringComparison.Ordinal);
        Assert.Contains("is not a valid cron expression", text, StringComparison.Ordinal);
        Assert.Contains($"hub.ini:{lines + 5}: ", text, StringComparison.Ordinal);
        Assert.Contains("Unknown time zone 'Atlantis/Central'", text, StringComparison.Ordinal);
        Assert.Contains($"hub.ini:{lines + 8}: ", text, StringComparison.Ordinal);
        Assert.Contains("Unknown job kind 'nope'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
