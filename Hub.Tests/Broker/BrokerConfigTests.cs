using Hub.Tests.Support;

namespace Hub.Tests.Broker;

/// <summary>The <c>[broker]</c> section: off by default, every key with its default, errors as FILE:LINE.</summary>
public sealed class BrokerConfigTests
{
    private const string Route = "\n[config:log]\ntargets = { 'info': ['info'] }\n\n[t/#]\ntargets = log:info\n";

    [Fact]
    public void Without_a_broker_section_or_with_enabled_false_there_is_no_broker()
    {
        Assert.Null(ConfigTestLoader.LoadValid("[defaults]\nlaunch = log\n" + Route).Broker);
        Assert.Null(ConfigTestLoader.LoadValid("[defaults]\nlaunch = log\n\n[broker]\nenabled = False\n" + Route).Broker);
    }

    [Fact]
    public void An_enabled_broker_has_the_documented_defaults_and_the_hub_attaches_in_process()
    {
        var config = ConfigTestLoader.LoadValid("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\n" + Route);

        var broker = Assert.IsType<Hub.Broker.BrokerOptions>(config.Broker);
        Assert.Equal(["127.0.0.1:1883"], broker.Listen);
        Assert.Empty(broker.TlsListen);
        Assert.True(broker.Persistence);
        Assert.Equal(Path.Combine(ConfigTestLoader.ConfigDirectory, ".hub-state", "broker"), broker.PersistenceDirectory);
        Assert.Equal((10_000, 1024 * 1024, 16 * 1024, 20, 1000, 0L), (broker.MaxConnections, broker.MaxPacketSize, broker.MaxConnectSize, broker.MaxInflight, broker.MaxQueuedMessages, broker.MaxQueuedBytes));
        Assert.Equal(TimeSpan.FromSeconds(30), broker.ConnectTimeout);
        Assert.True(broker.AllowAnonymous);
        Assert.Equal(TimeSpan.FromSeconds(10), broker.SysInterval);
        Assert.True(config.BrokerInProcess);
        Assert.DoesNotContain(config.Sections, s => s.Topic == "broker");
    }

    [Fact]
    public void Every_key_is_read_and_an_explicit_hostname_keeps_the_hub_on_tcp()
    {
        var config = ConfigTestLoader.LoadValid("""
            [defaults]
            hostname = 127.0.0.1
            launch = log

            [broker]
            enabled = True
            listen = 127.0.0.1:1884, [::1]:1885
            persistence = False
            persistence_dir = brokerstate
            max_connections = 5
            max_packet_size = 4096
            max_inflight = 3
            max_queued_messages = 7
            max_queued_bytes = 64KB
            max_connect_size = 2048
            connect_timeout = 5s
            sys_interval = 0
            """ + Route);

        var broker = config.Broker!;
        Assert.Equal(["127.0.0.1:1884", "[::1]:1885"], broker.Listen);
        Assert.False(broker.Persistence);
        Assert.Equal(Path.Combine(ConfigTestLoader.ConfigDirectory, "brokerstate"), broker.PersistenceDirectory);
        Assert.Equal((5, 4096, 3, 7), (broker.MaxConnections, broker.MaxPacketSize, broker.MaxInflight, broker.MaxQueuedMessages));
        Assert.Equal((64 * 1024L, 2048, TimeSpan.FromSeconds(5)), (broker.MaxQueuedBytes, broker.MaxConnectSize, broker.ConnectTimeout));
        Assert.Equal(TimeSpan.Zero, broker.SysInterval);
        Assert.False(config.BrokerInProcess);
    }

    [Fact]
    public void Zero_queue_limits_mean_no_maximum_as_in_mosquitto_conf()
    {
        var broker = ConfigTestLoader.LoadValid("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\nmax_queued_messages = 0\nmax_queued_bytes = 0\n" + Route).Broker!;

        Assert.Equal((0, 0L), (broker.MaxQueuedMessages, broker.MaxQueuedBytes));
    }

    [Fact]
    public void Bad_values_are_errors_with_their_line()
    {
        ConfigTestLoader.AssertError(ConfigTestLoader.Load("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\nlisten = nowhere\n" + Route), 6, "HOST:PORT");
        ConfigTestLoader.AssertError(ConfigTestLoader.Load("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\nmax_inflight = 0\n" + Route), 6, "max_inflight");
        ConfigTestLoader.AssertError(ConfigTestLoader.Load("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\nmax_queued_bytes = lots\n" + Route), 6, "max_queued_bytes");
        ConfigTestLoader.AssertError(ConfigTestLoader.Load("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\nmax_connect_size = 10\n" + Route), 6, "max_connect_size");
        ConfigTestLoader.AssertError(ConfigTestLoader.Load("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\ntls_listen = 127.0.0.1:8883\n" + Route), 6, "certfile");
        ConfigTestLoader.AssertError(ConfigTestLoader.Load("[defaults]\nlaunch = log\n\n[broker]\nenabled = True\npassword_file = /no/such/file\n" + Route), 6, "not found");
    }
}
