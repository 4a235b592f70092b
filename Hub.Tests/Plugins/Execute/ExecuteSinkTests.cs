using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Execute;

/// <summary>The execute plugin running real programs (/bin/sh scripts in a temp directory).</summary>
public sealed class ExecuteSinkTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_message_replaces_the_placeholder_and_arrives_verbatim_without_a_shell()
    {
        var script = ProtoScripts.RecordArguments(_temp);
        var record = _temp.File("record");
        var pwned = _temp.File("pwned");
        var message = $"$(touch {pwned}); rm -rf x `touch {pwned}` \"quoted\" 'single' * ü";
        await Sink().SendAsync(Item(message, Some.List("/bin/sh", script, record, "[TEXT]", "prefix-[TEXT]-[TEXT]", "plain", 42L)), CancellationToken.None);

        var (directory, arguments) = ProtoScripts.ReadRecord(record);
        Assert.Equal([message, $"prefix-{message}-{message}", "plain", "42"], arguments);
        Assert.Equal(Path.GetFullPath(Path.GetTempPath()).TrimEnd('/'), directory.TrimEnd('/'));
        Assert.False(File.Exists(pwned), "the message was interpreted by a shell");
    }

    [Fact]
    public async Task Text_replace_sets_another_placeholder()
    {
        var script = ProtoScripts.RecordArguments(_temp);
        var record = _temp.File("record");
        await Sink(("text_replace", "%MSG%")).SendAsync(Item("hello", Some.List("/bin/sh", script, record, "%MSG%", "[TEXT]")), CancellationToken.None);

        Assert.Equal(["hello", "[TEXT]"], ProtoScripts.ReadRecord(record).Arguments);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_permanently_with_the_code_and_the_start_of_standard_error()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List("/bin/sh", "-c", "echo 'disk not mounted' >&2; echo noise; exit 3")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("execute: 'sh' exited with 3: disk not mounted", error.Message);
    }

    [Fact]
    public async Task Exit_code_75_asks_for_a_retry()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List("/bin/sh", "-c", "exit 75")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("execute: 'sh' exited with 75 (temporary failure)", error.Message);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_fails_permanently()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(Item("m", Some.List(_temp.File("no-such-program"), "[TEXT]")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.StartsWith("execute: cannot start 'no-such-program'", error.Message);
    }

    [Fact]
    public async Task Cancellation_kills_the_program_and_the_processes_it_started()
    {
        var script = ProtoScripts.SleepForever(_temp);
        var pids = _temp.File("pids");
        using var cancel = new CancellationTokenSource();
        var send = Sink().SendAsync(Item("m", Some.List("/bin/sh", script, pids)), cancel.Token).AsTask();
        var recorded = (await FileWait.UntilAsync(pids, c => c.EndsWith('\n'), TimeSpan.FromSeconds(10))).Split(' ').Select(int.Parse).ToList();
        Assert.False(send.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        foreach (var pid in recorded)
        {
            await ProtoScripts.WaitUntilGoneAsync(pid, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("execute", Some.List("touch", "/tmp/x")));
        Assert.Empty(BuiltInPlugins.Validate("execute", Some.List("/bin/echo")));
        Assert.NotEmpty(BuiltInPlugins.Validate("execute", Some.List()));
        Assert.NotEmpty(BuiltInPlugins.Validate("execute", Some.List("", "x")));
        Assert.NotEmpty(BuiltInPlugins.Validate("execute", "touch /tmp/x"));
        Assert.NotEmpty(BuiltInPlugins.Validate("execute", Some.List("echo", Some.List("nested"))));

        var empty = BuiltInPlugins.Activate("execute", Some.Dict(("text_replace", "")));
        Assert.Null(empty.Instance);
        Assert.Contains(empty.Diagnostics, d => d.Key == "text_replace");
    }

    [Fact]
    public async Task Hub_notify_runs_the_program_with_the_message()
    {
        var script = ProtoScripts.RecordArguments(_temp);
        var record = _temp.File("record");
        var config = _temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = execute

            [config:execute]
            targets = {"{"} 'rec': ['/bin/sh', '{script}', '{record}', 'got: [TEXT]'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "execute:rec", "door; open $HOME", "--config", config);

        Assert.True(code == 0, error + output);
        Assert.Equal(["got: door; open $HOME"], ProtoScripts.ReadRecord(record).Arguments);
    }

    private static ISink Sink(params (string Key, object? Value)[] options) => BuiltInPlugins.Create("execute", new TestPluginContext(Some.Dict(options)));

    private static DeliveryItem Item(string message, object? descriptor) => new()
    {
        Service = "execute",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };

    [Fact]
    public async Task A_command_bound_once_runs_for_every_message_without_its_descriptor_being_parsed_again()
    {
        var script = ProtoScripts.RecordArguments(_temp);
        var record = _temp.File("record");
        var descriptor = Some.List("/bin/sh", script, record, "[TEXT]");
        var sink = Sink();
        var bound = BuiltInPlugins.Bind(sink, descriptor);

        await sink.SendAsync(BuiltInPlugins.WithBinding(Item("first", descriptor), bound), CancellationToken.None);
        Assert.Equal(["first"], ProtoScripts.ReadRecord(record).Arguments);
        await sink.SendAsync(BuiltInPlugins.WithBinding(Item("second", descriptor), bound), CancellationToken.None);
        Assert.Equal(["second"], ProtoScripts.ReadRecord(record).Arguments);
    }
}
