using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Smtp;

/// <summary>The plugin inside the hub: <c>hub notify</c> from a hub.ini, success and a refusal as the user sees them.</summary>
public sealed class SmtpSinkHubTests
{
    [Fact]
    public async Task Hub_notify_delivers_over_starttls_with_auth_and_logs_a_refusal_with_the_servers_words()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.StartTls, "alice", "s3cret-pw");
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            launch = smtp
            logfile = '{temp.File("hub.log")}'

            [config:smtp]
            server = '{server.Server}'
            sender = 'Hub <hub@example.org>'
            starttls = True
            ca_certs = '{server.Ca!.CertPath}'
            username = 'alice'
            password = 's3cret-pw'
            targets = {"{"}'ops': ['ops@example.org', 'jane@example.org'], 'bad': ['refused@example.org']{"}"}
            """);

        var (code, output, error) = await CliRunner.RunAsync("notify", "--config", config, "smtp:ops", "hello from notify", "--plugins", Repo.PluginDirectory);
        Assert.True(code == 0, output + error);
        var mail = Assert.Single(server.Messages);
        Assert.Equal(["ops@example.org", "jane@example.org"], mail.RcptTos);
        Assert.Equal("hello from notify\n", Assert.Single(mail.Parts).Text);

        (code, output, error) = await CliRunner.RunAsync("notify", "--config", config, "smtp:bad", "x", "--plugins", Repo.PluginDirectory);
        Assert.NotEqual(0, code);
        Assert.Contains("smtp:bad: failed", output, StringComparison.Ordinal);
        var log = File.ReadAllText(temp.File("hub.log"));
        Assert.Contains("550 5.1.1 <refused@example.org>: mailbox unavailable", log, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", output + error + log, StringComparison.Ordinal);
        Assert.Single(server.Messages);
    }
}
