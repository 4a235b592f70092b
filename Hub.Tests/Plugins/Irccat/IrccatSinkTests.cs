using System.Net;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Irccat;

/// <summary>The irccat plugin against a local TCP server standing in for the irccat bot.</summary>
public sealed class IrccatSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private ProtoTcpServer _bot = null!;

    public Task InitializeAsync()
    {
        _bot = ProtoTcpServer.Capture();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData(0, "#ops pump 7 is hot ü\n")]
    [InlineData(1, "#ops %GREENpump 7 is hot ü\n")]
    [InlineData(2, "#ops %REDpump 7 is hot ü\n")]
    [InlineData(-1, "#ops pump 7 is hot ü\n")]
    public async Task The_bot_gets_the_channel_the_colour_of_the_priority_and_the_message(int priority, string expected)
    {
        await Sink().SendAsync(Item("pump 7 is hot ü", Some.List(_bot.Host, (long)_bot.Port, "#ops"), priority), CancellationToken.None);

        Assert.Equal(expected, Encoding.UTF8.GetString(await _bot.NextAsync(Wait)));
    }

    [Fact]
    public async Task Each_line_of_the_message_names_the_channel_again()
    {
        await Sink().SendAsync(Item("line 1\r\n\nline 2\n", Some.List(_bot.Host, $"{_bot.Port}", "@alice"), 2), CancellationToken.None);

        Assert.Equal("@alice %REDline 1\n@alice %REDline 2\n", Encoding.UTF8.GetString(await _bot.NextAsync(Wait)));
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List("127.0.0.1", (long)port, "#ops")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("irccat: sending to the bot failed: ConnectionRefused", error.Message);
    }

    [Fact]
    public void Targets_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("irccat", Some.List("127.0.0.1", 12345L, "#testchan1")));
        Assert.Empty(BuiltInPlugins.Validate("irccat", Some.List("irc.lan", "12345", "#a,#b")));
        Assert.NotEmpty(BuiltInPlugins.Validate("irccat", Some.List("127.0.0.1", 12345L)));
        Assert.NotEmpty(BuiltInPlugins.Validate("irccat", Some.List("127.0.0.1", "port", "#a")));
        Assert.NotEmpty(BuiltInPlugins.Validate("irccat", Some.List("127.0.0.1", 70000L, "#a")));
        Assert.NotEmpty(BuiltInPlugins.Validate("irccat", Some.List("127.0.0.1", 1L, "#a b")));
        Assert.NotEmpty(BuiltInPlugins.Validate("irccat", Some.Dict(("host", "x"))));
    }

    [Fact]
    public async Task Hub_notify_sends_the_line_to_the_bot()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = irccat

            [config:irccat]
            targets = {"{"} 'chan1': ['{_bot.Host}', {_bot.Port}, '#testchan1'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "irccat:chan1", "disk full", "--priority", "1", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal("#testchan1 %GREENdisk full\n", Encoding.UTF8.GetString(await _bot.NextAsync(Wait)));
    }

    private static ISink Sink() => BuiltInPlugins.Create("irccat", new TestPluginContext());

    private static DeliveryItem Item(string message, object? descriptor, int priority = 0) => new()
    {
        Service = "irccat",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Priority = priority,
    };

    [Fact]
    public async Task A_bot_bound_once_gets_every_message_without_the_descriptor_being_parsed_again()
    {
        var descriptor = Some.List(_bot.Host, (long)_bot.Port, "#ops");
        var sink = Sink();
        var bound = BuiltInPlugins.Bind(sink, descriptor);

        await sink.SendAsync(BuiltInPlugins.WithBinding(Item("one", descriptor), bound), CancellationToken.None);
        Assert.Equal("#ops one\n", Encoding.UTF8.GetString(await _bot.NextAsync(Wait)));
        await sink.SendAsync(BuiltInPlugins.WithBinding(Item("two", descriptor), bound), CancellationToken.None);
        Assert.Equal("#ops two\n", Encoding.UTF8.GetString(await _bot.NextAsync(Wait)));
    }
}
