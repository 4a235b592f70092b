using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Smtp;

/// <summary>One SMTP session per burst: reuse, idle close on the injected clock, transparent reconnection.</summary>
public sealed class SmtpSinkSessionTests
{
    [Fact]
    public async Task A_burst_of_twenty_mails_goes_over_one_connection()
    {
        await using var server = await SmtpServer.StartAsync(SmtpServerTls.StartTls, "alice", "s3cret");
        var sink = SmtpSinks.Create(server, ("username", "alice"), ("password", "s3cret"));
        for (var i = 0; i < 20; i++)
        {
            await sink.SendAsync(SmtpSinks.Mail($"message {i}", $"alert {i}", "ops@example.org"), CancellationToken.None);
        }

        await SmtpSinks.DisposeAsync(sink);
        var messages = server.Messages;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"alert {i}"), messages.Select(m => m.Subject));
        Assert.Single(messages.Select(m => m.Peer).Distinct());
    }

    [Fact]
    public async Task Concurrent_deliveries_share_the_session_one_at_a_time()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => sink.SendAsync(SmtpSinks.Mail($"m{i}", $"t{i}", "ops@example.org"), CancellationToken.None).AsTask()));
        await SmtpSinks.DisposeAsync(sink);
        Assert.Equal(10, server.Messages.Count);
        Assert.Single(server.Messages.Select(m => m.Peer).Distinct());
    }

    [Fact]
    public async Task The_session_is_closed_after_the_idle_timeout_and_the_next_mail_opens_a_new_one()
    {
        await using var server = await SmtpServer.StartAsync();
        var time = new FakeTimeProvider();
        var sink = BuiltInPlugins.Create("smtp", new TestPluginContext(SmtpSinks.Options(server, ("idle_timeout", 30L))) { TimeProvider = time });
        await sink.SendAsync(SmtpSinks.Mail("one", "t", "ops@example.org"), CancellationToken.None);
        await sink.SendAsync(SmtpSinks.Mail("two", "t", "ops@example.org"), CancellationToken.None);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(30));
        await sink.SendAsync(SmtpSinks.Mail("three", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var peers = server.Messages.Select(m => m.Peer).ToList();
        Assert.Equal(3, peers.Count);
        Assert.Equal(peers[0], peers[1]);
        Assert.NotEqual(peers[1], peers[2]);
    }

    [Fact]
    public async Task An_idle_timeout_of_zero_closes_the_session_after_each_mail()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server, ("idle_timeout", 0L));
        await sink.SendAsync(SmtpSinks.Mail("one", "t", "ops@example.org"), CancellationToken.None);
        await sink.SendAsync(SmtpSinks.Mail("two", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);
        Assert.Equal(2, server.Messages.Select(m => m.Peer).Distinct().Count());
    }

    [Fact]
    public async Task A_session_the_server_closed_is_replaced_transparently()
    {
        await using var server = await SmtpServer.StartAsync();
        var sink = SmtpSinks.Create(server);
        await sink.SendAsync(SmtpSinks.Mail("one", "t", "drop@example.org"), CancellationToken.None);   // the server hangs up after this one
        await sink.SendAsync(SmtpSinks.Mail("two", "t", "ops@example.org"), CancellationToken.None);
        await sink.SendAsync(SmtpSinks.Mail("three", "t", "ops@example.org"), CancellationToken.None);
        await SmtpSinks.DisposeAsync(sink);

        var peers = server.Messages.Select(m => m.Peer).ToList();
        Assert.Equal(3, peers.Count);
        Assert.NotEqual(peers[0], peers[1]);
        Assert.Equal(peers[1], peers[2]);
    }
}
