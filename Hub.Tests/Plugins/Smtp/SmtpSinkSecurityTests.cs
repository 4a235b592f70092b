using System.Security.Authentication;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Smtp;

/// <summary>TLS (STARTTLS, implicit, verification), AUTH PLAIN and LOGIN, and payload data that tries to add headers.</summary>
public sealed class SmtpSinkSecurityTests
{
    [Fact]
    public async Task Starttls_with_auth_plain_delivers_to_a_server_that_requires_both()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.StartTls, "alice", "s3cret", "LOGIN");
        var sink = SmtpSinks.Create(server, ("username", "alice"), ("password", "s3cret"));
        await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);
        Assert.Equal(["ops@example.org"], Assert.Single(server.Messages).RcptTos);
    }

    [Fact]
    public async Task Auth_login_is_used_when_the_server_offers_no_plain()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.StartTls, "alice", "s3cret", "PLAIN");
        var sink = SmtpSinks.Create(server, ("username", "alice"), ("password", "s3cret"));
        await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Implicit_tls_speaks_tls_from_the_first_byte()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.Implicit, "alice", "s3cret");
        var sink = SmtpSinks.Create(server, ("username", "alice"), ("password", "s3cret"));
        await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task A_wrong_password_fails_clearly_and_the_password_appears_nowhere()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.StartTls, "alice", "s3cret");
        var context = new TestPluginContext(SmtpSinks.Options(server, ("username", "alice"), ("password", "wrong-pw-42")));
        var sink = BuiltInPlugins.Create("smtp", context);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None));
        await SmtpSinks.DisposeAsync(sink);
        Assert.Contains("AUTH PLAIN (wrong username or password?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("535", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pw-42", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(context.Log.Entries, e => e.Message.Contains("wrong-pw-42", StringComparison.Ordinal));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task A_server_certificate_from_an_unknown_ca_is_refused_unless_tls_insecure()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.StartTls);
        var strict = SmtpSinks.Create(server, ("ca_certs", null));
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await strict.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None));
        await SmtpSinks.DisposeAsync(strict);
        Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);

        var insecure = SmtpSinks.Create(server, ("ca_certs", null), ("tls_insecure", true));
        await insecure.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(insecure);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task A_ca_file_that_did_not_sign_the_server_certificate_is_refused()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.Implicit);
        using var temp = new TempDirectory();
        var other = await TestCertificates.CreateCaAsync(temp.Path, "Other CA");
        var sink = SmtpSinks.Create(server, ("ca_certs", other.CertPath));
        var error = await Assert.ThrowsAsync<AuthenticationException>(async () => await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None));
        await SmtpSinks.DisposeAsync(sink);
        Assert.Contains("not signed by a CA of ca_certs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_asked_of_a_server_without_it_fails_instead_of_sending_in_clear()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server, ("starttls", true));
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None));
        await SmtpSinks.DisposeAsync(sink);
        Assert.Contains("does not offer STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task A_title_with_line_breaks_cannot_add_a_header()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("body", "x\r\nBcc: evil@x\nX-Evil: 1\r\n\r\ninjected body", "ops@example.org"), CancellationToken.None);
        await sink.SendAsync(SmtpSinks.Mail("body", "Grüße\r\nBcc: evil@x", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        Assert.All(server.Messages, mail =>
        {
            Assert.Null(mail.Header("Bcc"));
            Assert.Null(mail.Header("X-Evil"));
            Assert.Equal(["ops@example.org"], mail.RcptTos);
            Assert.Equal("body\n", Assert.Single(mail.Parts).Text);
        });
        Assert.Equal("x  Bcc: evil@x X-Evil: 1    injected body", server.Messages[0].Subject);
        Assert.Equal("Grüße  Bcc: evil@x", server.Messages[1].Subject);
    }

    [Fact]
    public async Task A_recipient_with_a_line_break_is_refused_before_anything_is_sent()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        // An item the host made would never get here (the binder refuses the target at start-up); a direct call
        // parses the descriptor and fails for good.
        var error = await Assert.ThrowsAsync<Hub.Plugins.PermanentDeliveryException>(async () =>
            await sink.SendAsync(SmtpSinks.Mail("body", "t", "ops@example.org\r\nRCPT TO:<evil@x>"), CancellationToken.None));
        await SmtpSinks.DisposeAsync(sink);
        Assert.Contains("control characters", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }
}
