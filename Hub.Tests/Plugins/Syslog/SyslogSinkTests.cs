using System.Net;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Syslog;

/// <summary>The syslog plugin against a real rsyslogd (UDP, TCP and a local Unix socket).</summary>
public sealed class SyslogSinkTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private ProtoRsyslog _rsyslog = null!;

    public async Task InitializeAsync() => _rsyslog = await ProtoRsyslog.StartAsync();

    public async Task DisposeAsync() => await _rsyslog.DisposeAsync();

    [Fact]
    public async Task A_udp_record_carries_facility_severity_app_name_hostname_time_and_the_message()
    {
        var time = new FakeTimeProvider();
        time.Advance(new TimeSpan(1, 3, 4, 5, 123, 456));
        var sink = BuiltInPlugins.Create("syslog", new TestPluginContext(Remote("udp", ("hostname", "hub-1"))) { TimeProvider = time });
        await sink.SendAsync(Item("pump 7 is hot ü", Some.List("local3"), title: "pump-alarm", priority: 2), CancellationToken.None);

        var record = Assert.Single(await _rsyslog.WaitForRecordsAsync(1, Wait));
        Assert.Equal(["19", "3", "pump-alarm", "hub-1", $"{Environment.ProcessId}", "2026-01-02T03:04:05.123456Z", "1", "pump 7 is hot ü"], record);
    }

    [Fact]
    public async Task Over_tcp_octet_counting_keeps_a_multi_line_message_in_one_record()
    {
        var sink = BuiltInPlugins.Create("syslog", new TestPluginContext(Remote("tcp", ("facility", "daemon"))));
        await sink.SendAsync(Item("line 1\nline 2", Some.List(), title: "", priority: -1), CancellationToken.None);
        await sink.SendAsync(Item("second", Some.Dict(("facility", "local7")), title: "other app", priority: 5), CancellationToken.None);

        var records = await _rsyslog.WaitForRecordsAsync(2, Wait);
        Assert.Equal(2, records.Count);
        Assert.Equal(["3", "6", "hub", "line 1#012line 2"], [records[0][0], records[0][1], records[0][2], records[0][7]]);
        Assert.Equal(["23", "0", "other_app", "second"], [records[1][0], records[1][1], records[1][2], records[1][7]]);
    }

    [Theory]
    [InlineData(-2, 7)]
    [InlineData(-1, 6)]
    [InlineData(0, 5)]
    [InlineData(1, 4)]
    [InlineData(3, 2)]
    [InlineData(4, 1)]
    [InlineData(9, 0)]
    public async Task The_priority_chooses_the_severity(int priority, int severity)
    {
        await BuiltInPlugins.Create("syslog", new TestPluginContext(Remote("udp"))).SendAsync(Item("x", Some.List("user"), priority: priority), CancellationToken.None);

        Assert.Equal($"{severity}", Assert.Single(await _rsyslog.WaitForRecordsAsync(1, Wait))[1]);
    }

    [Fact]
    public async Task Mqttwarns_form_writes_to_the_local_socket_with_the_ident_and_the_pid_option()
    {
        var sink = BuiltInPlugins.Create("syslog", new TestPluginContext(Some.Dict(("socket", _rsyslog.SocketPath))));
        await sink.SendAsync(Item("door open", Some.List("auth", "pid"), title: "doors", priority: 1), CancellationToken.None);
        await sink.SendAsync(Item("no pid", Some.List("local1", "ndelay"), title: "doors", priority: 0), CancellationToken.None);

        var records = await _rsyslog.WaitForRecordsAsync(2, Wait);
        Assert.Equal(["4", "4", "doors", $"{Environment.ProcessId}", "door open"], [records[0][0], records[0][1], records[0][2], records[0][4], records[0][7].Trim()]);
        Assert.Equal(["17", "5", "doors", "-", "no pid"], [records[1][0], records[1][1], records[1][2], records[1][4], records[1][7].Trim()]);
    }

    [Fact]
    public async Task Without_a_local_socket_the_failure_is_permanent_and_says_so()
    {
        using var temp = new TempDirectory();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BuiltInPlugins.Create("syslog", new TestPluginContext(Some.Dict(("socket", temp.File("none")))))
            .SendAsync(Item("x", Some.List("user", "pid")), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("there is no local syslog socket at", error.Message);
    }

    [Fact]
    public async Task A_refused_tcp_connection_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BuiltInPlugins.Create("syslog", new TestPluginContext(Some.Dict(("host", "127.0.0.1"), ("port", (long)port), ("protocol", "tcp"))))
            .SendAsync(Item("x", Some.List()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("syslog: sending to the collector over TCP failed: ConnectionRefused", error.Message);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("syslog", Some.List("user", "pid")));
        Assert.Empty(BuiltInPlugins.Validate("syslog", Some.List("LOCAL7")));
        Assert.Empty(BuiltInPlugins.Validate("syslog", Some.List()));
        Assert.Empty(BuiltInPlugins.Validate("syslog", Some.Dict(("facility", "daemon"), ("host", "logs"), ("port", 601L), ("protocol", "tcp"))));
        Assert.Contains("unknown facility 'nonsense'", Assert.Single(BuiltInPlugins.Validate("syslog", Some.List("nonsense", "pid"))));
        Assert.Contains("unknown option 'loud'", Assert.Single(BuiltInPlugins.Validate("syslog", Some.List("user", "loud"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("syslog", Some.List("user", "pid", "extra")));
        Assert.NotEmpty(BuiltInPlugins.Validate("syslog", Some.Dict(("protocol", "sctp"))));
        Assert.NotEmpty(BuiltInPlugins.Validate("syslog", Some.Dict(("level", "x"))));

        var bad = BuiltInPlugins.Activate("syslog", Some.Dict(("port", 0L), ("protocol", "http"), ("facility", "kitchen")));
        Assert.Null(bad.Instance);
        Assert.Equal(["facility", "port", "protocol"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    [Fact]
    public async Task Hub_notify_sends_a_record_to_the_collector()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = syslog

            [config:syslog]
            host = '{_rsyslog.Host}'
            port = {_rsyslog.TcpPort}
            protocol = 'tcp'
            facility = 'local2'
            hostname = 'hub-cli'
            targets = {"{"} 'ops': [] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "syslog:ops", "disk full", "--title", "disk-watch", "--priority", "3", "--config", config);

        Assert.True(code == 0, error + output);
        var record = Assert.Single(await _rsyslog.WaitForRecordsAsync(1, Wait));
        Assert.Equal(["18", "2", "disk-watch", "hub-cli", "disk full"], [record[0], record[1], record[2], record[3], record[7]]);
    }

    private Dictionary<string, object?> Remote(string protocol, params (string Key, object? Value)[] more)
    {
        var options = new Dictionary<string, object?>
        {
            ["host"] = _rsyslog.Host,
            ["port"] = (long)(protocol == "tcp" ? _rsyslog.TcpPort : _rsyslog.UdpPort),
            ["protocol"] = protocol,
        };
        foreach (var (key, value) in more)
        {
            options[key] = value;
        }

        return options;
    }

    private static DeliveryItem Item(string message, object? descriptor, string title = "", int priority = 0) => new()
    {
        Service = "syslog",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
        Priority = priority,
    };
}
