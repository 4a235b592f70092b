using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Smtp;

/// <summary>What the server receives: envelope, headers and body, read back with Python's e-mail parser.</summary>
public sealed class SmtpSinkDeliveryTests
{
    [Fact]
    public async Task A_plain_message_arrives_with_its_envelope_headers_and_ascii_body()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("pump 7 overheated\nat 12:00", "Alert", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.Equal("hub@example.org", mail.MailFrom);
        Assert.Equal(["ops@example.org"], mail.RcptTos);
        Assert.Equal("Alert", mail.Subject);
        Assert.Equal("Hub <hub@example.org>", mail.Header("From"));
        Assert.Equal("ops@example.org", mail.Header("To"));
        Assert.Equal("hub", mail.Header("X-Mailer"));
        Assert.NotNull(mail.Header("Date"));
        Assert.NotNull(mail.Header("Message-ID"));
        var part = Assert.Single(mail.Parts);
        Assert.Equal(("text/plain", "us-ascii"), (part.Type, part.Charset));
        Assert.Equal("pump 7 overheated\nat 12:00\n", part.Text);
        Assert.Empty(mail.Defects);
    }

    [Fact]
    public async Task Every_recipient_of_the_target_gets_the_one_mail()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org", "Jane Doe <jane@example.org>", "bob@example.net"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.Equal(["ops@example.org", "jane@example.org", "bob@example.net"], mail.RcptTos);
        Assert.Equal("ops@example.org, Jane Doe <jane@example.org>, bob@example.net", mail.Header("To")!.Replace("\r\n", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_title_gives_the_default_subject()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("hi", "", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);
        Assert.Equal("hub notification", Assert.Single(server.Messages).Subject);
    }

    [Fact]
    public async Task A_utf8_subject_is_sent_as_rfc2047_encoded_words_and_decodes_back()
    {
        const string title = "Überhitzung in der Küche – Temperatur 95 °C, Pumpe 7 außer Betrieb ⚠️ (Störung Nr. 12345, bitte sofort prüfen)";
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("x", title, "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        var headerSection = mail.Content.AsSpan(0, mail.Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)).ToArray();
        Assert.All(headerSection, b => Assert.True(b < 0x80, "headers must be 7-bit"));
        Assert.Contains("Subject: =?utf-8?", mail.Raw, StringComparison.Ordinal);

        // Folded over several lines. MimeKit joins neighbouring encoded words, so one may exceed RFC 2047's
        // 75 characters (readers decode it: no defect below); no line comes near RFC 5322's 998.
        var subjectLines = mail.Raw.Split("\r\n").SkipWhile(l => !l.StartsWith("Subject:", StringComparison.Ordinal)).TakeWhile((l, i) => i == 0 || l.StartsWith(' ')).ToList();
        Assert.True(subjectLines.Count > 1, "the subject is folded");
        Assert.All(subjectLines, l => Assert.True(l.Length <= 100, $"subject line longer than 100: {l}"));
        Assert.Equal(title, mail.Subject);
        Assert.Empty(mail.Defects);
    }

    [Fact]
    public async Task A_utf8_body_is_quoted_printable_and_decodes_to_the_message_with_dot_lines_intact()
    {
        var message = "Grüße aus der Küche 🌡️\n.\n.leading dot\n" + string.Concat(Enumerable.Repeat("Äpfel und Birnen ", 12)) + "\nend";
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail(message, "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        var part = Assert.Single(mail.Parts);
        Assert.Equal(("text/plain", "utf-8", "quoted-printable"), (part.Type, part.Charset, part.TransferEncoding));
        Assert.Equal(message + "\n", part.Text);
        Assert.All(mail.Raw.Split("\r\n"), l => Assert.True(l.Length <= 78, $"line longer than 78: {l}"));
    }

    [Fact]
    public async Task Htmlmsg_sends_multipart_alternative_with_the_text_as_plain_and_html()
    {
        const string message = "<p>Pump <b>7</b> is hot</p>";
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server, ("htmlmsg", true));
        await sink.SendAsync(SmtpSinks.Mail(message, "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.StartsWith("multipart/alternative;", mail.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(["text/plain", "text/html"], mail.Parts.Select(p => p.Type));
        Assert.All(mail.Parts, p => Assert.Equal(message + "\n", p.Text));
        Assert.Empty(mail.Defects);
    }

    [Fact]
    public async Task An_internationalised_address_goes_out_with_smtputf8_when_the_server_offers_it()
    {
        await using var server = await SmtpServer.StartWithSmtpUtf8Async();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("hi", "t", "Jörg Müller <jörg@beispiel.example>"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var mail = Assert.Single(server.Messages);
        Assert.Equal(["jörg@beispiel.example"], mail.RcptTos);
        Assert.Contains("To: =?utf-8?b?SsO2cmcgTcO8bGxlcg==?= <jörg@beispiel.example>\r\n", mail.Raw, StringComparison.Ordinal);    // RFC 6532: the address in UTF-8
        Assert.Empty(mail.Defects);
    }

    [Fact]
    public async Task A_4xx_reply_is_a_transient_failure_the_host_retries()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await sink.SendAsync(SmtpSinks.Mail("hi", "t", "busy@example.org"), CancellationToken.None));
        DeliveryFailures.AssertTransient(error, null);
        Assert.Contains("450 4.2.0 <busy@example.org>: greylisted", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task A_refused_recipient_fails_the_delivery_with_the_servers_reply_and_nobody_gets_the_mail()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org", "refused@example.org"), CancellationToken.None));
        Assert.Contains("550 5.1.1 <refused@example.org>: mailbox unavailable (refused by test server)", error.Message, StringComparison.Ordinal);
        Assert.Contains("recipient <refused@example.org>", error.Message, StringComparison.Ordinal);
        DeliveryFailures.AssertPermanent(error); // 5yz: the host does not retry it
        Assert.Empty(server.Messages);

        // The session was reset and serves the next mail.
        await sink.SendAsync(SmtpSinks.Mail("hi", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);
        Assert.Single(server.Messages);
    }

    [Fact]
    public void A_target_needs_at_least_one_valid_recipient()
    {
        Assert.Contains("at least one recipient", Assert.Single(BuiltInPlugins.Validate("smtp", Some.List(), Some.Dict(("sender", "hub@example.org")))), StringComparison.Ordinal);
        Assert.Contains("not an address", Assert.Single(BuiltInPlugins.Validate("smtp", Some.List("ops@example.org", "a b@x"), Some.Dict(("sender", "hub@example.org")))), StringComparison.Ordinal);
        Assert.Empty(BuiltInPlugins.Validate("smtp", Some.List("ops@example.org", "Jane <jane@example.org>"), Some.Dict(("sender", "hub@example.org"))));
    }

    [Fact]
    public void A_target_that_is_one_address_as_text_instead_of_a_list_is_refused() =>
        Assert.Equal(["the target must be a list of addresses: ['user@example.org', ...], not 'ops@example.org'"],
            BuiltInPlugins.Validate("smtp", "ops@example.org", Some.Dict(("sender", "hub@example.org"))));

    [Fact]
    public void Starttls_and_implicit_tls_exclude_each_other_and_the_sender_is_required()
    {
        var both = BuiltInPlugins.Activate("smtp", Some.Dict(("sender", "hub@example.org"), ("starttls", true), ("implicit_tls", true)));
        Assert.Null(both.Instance);
        Assert.Contains(both.Diagnostics, d => d.ToString()!.Contains("exclude each other", StringComparison.Ordinal));
        var noSender = BuiltInPlugins.Activate("smtp", Some.Dict(("server", "localhost:25")));
        Assert.Null(noSender.Instance);
        Assert.Contains(noSender.Diagnostics, d => d.ToString()!.Contains("sender", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recipients_bound_once_get_every_mail_without_the_descriptor_being_parsed_again()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        var mail = SmtpSinks.Mail("one", "t", "ops@example.org", "bob@example.net");
        var bound = BuiltInPlugins.Bind(sink, mail.Addrs);
        await sink.SendAsync(BuiltInPlugins.WithBinding(mail, bound), CancellationToken.None);
        await sink.SendAsync(BuiltInPlugins.WithBinding(SmtpSinks.Mail("two", "t", "ops@example.org", "bob@example.net"), bound), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        Assert.Equal(2, server.Messages.Count);
        Assert.All(server.Messages, m => Assert.Equal(["ops@example.org", "bob@example.net"], m.RcptTos));
    }
}
