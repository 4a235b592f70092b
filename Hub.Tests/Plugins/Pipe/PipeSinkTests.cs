using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Pipe;

/// <summary>The pipe plugin writing to real programs' standard input.</summary>
public sealed class PipeSinkTests : IDisposable
{
    private const string CatInto = "cat > \"$0\"";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_message_and_a_newline_arrive_on_standard_input()
    {
        var received = _temp.File("received");
        await Sink().SendAsync(Item("pump 7 is hot ü $(x)", Some.List("/bin/sh", "-c", CatInto, received)), CancellationToken.None);

        Assert.Equal("pump 7 is hot ü $(x)\n", File.ReadAllText(received));
    }

    [Fact]
    public async Task A_message_that_ends_with_a_newline_gets_no_second_one()
    {
        var received = _temp.File("received");
        await Sink().SendAsync(Item("line 1\nline 2\n", Some.List("/bin/sh", "-c", CatInto, received)), CancellationToken.None);

        Assert.Equal("line 1\nline 2\n", File.ReadAllText(received));
    }

    [Fact]
    public async Task The_exit_code_is_checked()
    {
        var failed = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List("/bin/sh", "-c", "cat >/dev/null; echo 'spool full' >&2; exit 2")), CancellationToken.None).AsTask());
        var later = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List("/bin/sh", "-c", "cat >/dev/null; exit 75")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(failed);
        Assert.Equal("pipe: 'sh' exited with 2: spool full", failed.Message);
        DeliveryFailures.AssertTransient(later, null);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_fails_permanently()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List(_temp.File("no-such-program"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.StartsWith("pipe: cannot start 'no-such-program'", error.Message);
    }

    [Fact]
    public void Targets_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("pipe", Some.List("/usr/bin/tee", "-a", "/tmp/x")));
        Assert.NotEmpty(BuiltInPlugins.Validate("pipe", Some.List()));
        Assert.NotEmpty(BuiltInPlugins.Validate("pipe", "tee"));
        Assert.NotEmpty(BuiltInPlugins.Validate("pipe", Some.Dict(("program", "tee"))));
    }

    [Fact]
    public async Task Hub_notify_pipes_the_message_into_the_program()
    {
        var received = _temp.File("received");
        var config = _temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = pipe

            [config:pipe]
            targets = {"{"} 'spool': ['/usr/bin/tee', '-a', '{received}'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "pipe:spool", "disk full", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal("disk full\n", File.ReadAllText(received));
    }

    private static ISink Sink() => BuiltInPlugins.Create("pipe", new TestPluginContext());

    private static DeliveryItem Item(string message, object? descriptor) => new()
    {
        Service = "pipe",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };
}
