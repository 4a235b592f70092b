using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Sections;

public sealed class DefaultsSectionTests
{
    [Fact]
    public void Without_defaults_every_option_has_the_hub_default_and_a_warning_says_no_services()
    {
        var result = Load("");

        Assert.True(result.Success);
        var defaults = result.Config!.Defaults;
        Assert.Equal(("localhost", 1883, "hub", "clients/hub", 4, "INFO"), (defaults.Hostname, defaults.Port, defaults.ClientId, defaults.Lwt, defaults.Protocol, defaults.LogLevel));
        Assert.Equal((60, 10_000, 10.0, 10.0), (defaults.KeepAlive, defaults.QueueSize, defaults.PluginTimeout, defaults.ShutdownTimeout));
        AssertWarning(result, 0, "No services defined");
    }

    [Fact]
    public void Every_mqttwarn_key_is_read()
    {
        var defaults = LoadValid("""
            [defaults]
            hostname = 'broker.example'
            port = 8883
            username = "jane"
            password = 0x10
            clientid = mqttwarn-test
            lwt = 'clients/test'
            lwt_alive = online
            lwt_dead = offline
            skipretained = yes
            cleansession = True
            protocol = 3
            tls = false
            tls_version = 'TLSv1_2'
            tls_insecure = on
            loglevel = warn
            logformat = '%(message)s'
            logfile = stream://sys.stdout
            filteredmessagesloglevel = fatal
            num_workers = 3
            status_publish = 1
            status_topic = test/$SYS
            keepalive = 30
            queue_size = 50
            plugin_timeout = 2.5
            shutdown_timeout = 3
            """).Defaults;

        Assert.Equal(("broker.example", 8883, "jane", "0x10", "mqttwarn-test"), (defaults.Hostname, defaults.Port, defaults.Username, defaults.Password, defaults.ClientId));
        Assert.Equal(("clients/test", "online", "offline"), (defaults.Lwt, defaults.LwtAlive, defaults.LwtDead));
        Assert.Equal((true, true, 3, false, "tlsv1_2", true), (defaults.SkipRetained, defaults.CleanSession, defaults.Protocol, defaults.Tls, defaults.TlsVersion, defaults.TlsInsecure));
        Assert.Equal(("WARNING", "%(message)s", "stream://sys.stdout", "CRITICAL"), (defaults.LogLevel, defaults.LogFormat, defaults.LogFile, defaults.FilteredMessagesLogLevel));
        Assert.Equal((true, "test/$SYS", 30, 50, 2.5, 3.0), (defaults.StatusPublish, defaults.StatusTopic, defaults.KeepAlive, defaults.QueueSize, defaults.PluginTimeout, defaults.ShutdownTimeout));
    }

    [Theory]
    [InlineData("DEBUG", "DEBUG")]
    [InlineData("info", "INFO")]
    [InlineData("Warning", "WARNING")]
    [InlineData("WARN", "WARNING")]
    [InlineData("error", "ERROR")]
    [InlineData("critical", "CRITICAL")]
    [InlineData("FATAL", "CRITICAL")]
    [InlineData("NOTSET", "DEBUG")]
    public void Log_levels_are_normalised_to_Python_names(string value, string expected) =>
        Assert.Equal(expected, LoadValid($"[defaults]\nloglevel = {value}\n").Defaults.LogLevel);

    [Theory]
    [InlineData("loglevel")]
    [InlineData("filteredmessagesloglevel")]
    public void An_unknown_log_level_is_an_error_at_its_line_instead_of_debug_logging(string key)
    {
        var result = Hub.Config.ConfigLoader.LoadText($"[defaults]\n{key} = CHATTY\n", "hub.ini");
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"hub.ini:2: [defaults] '{key}' must be one of {Hub.Config.Sections.LogLevels.Names}, not 'CHATTY'", error.ToString());
    }

    [Theory]
    [InlineData("lwt = None")]
    [InlineData("lwt = ")]
    [InlineData("lwt = ''")]
    public void An_empty_or_none_lwt_disables_it(string line) =>
        Assert.Null(LoadValid($"[defaults]\n{line}\n").Defaults.Lwt);

    [Theory]
    [InlineData("logfile = ")]
    [InlineData("logfile = False")]
    [InlineData("logfile = None")]
    public void An_empty_logfile_means_the_console(string line) =>
        Assert.Equal("stream://sys.stderr", LoadValid($"[defaults]\n{line}\n").Defaults.LogFile);

    [Fact]
    public void Paths_are_resolved_against_the_config_directory_and_ca_certs_switches_tls_on()
    {
        var defaults = LoadValid("[defaults]\nca_certs = certs/ca.pem\ncertfile = /etc/c.pem\nkeyfile = k.pem\nlogfile = hub.log\nplugins = plugins, /opt/p\n").Defaults;

        Assert.True(defaults.Tls);
        Assert.Equal(Path.Combine(ConfigDirectory, "certs", "ca.pem"), defaults.CaCerts);
        Assert.Equal("/etc/c.pem", defaults.CertFile);
        Assert.Equal(Path.Combine(ConfigDirectory, "k.pem"), defaults.KeyFile);
        Assert.Equal(Path.Combine(ConfigDirectory, "hub.log"), defaults.LogFile);
        Assert.Equal([Path.Combine(ConfigDirectory, "plugins"), "/opt/p"], defaults.Plugins);
    }

    [Theory]
    [InlineData("launch = log, file,, smtp", new[] { "log", "file", "smtp" })]
    [InlineData("launch = ['log', 'file']", new[] { "log", "file" })]
    [InlineData("launch = 'log'", new[] { "log" })]
    public void Launch_is_a_comma_list_or_a_list_literal(string line, string[] expected)
    {
        var sections = string.Concat(expected.Select(name => $"[config:{name}]\n"));

        Assert.Equal(expected, LoadValid($"[defaults]\n{line}\n{sections}").Defaults.Launch);
    }

    [Theory]
    [InlineData("port = http", "'port' must be an integer from 1 to 65535")]
    [InlineData("port = 0", "'port' must be an integer from 1 to 65535")]
    [InlineData("protocol = 6", "'protocol' must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0)")]
    [InlineData("session_expiry = -1", "'session_expiry' must be a whole number of seconds from 0 to 4294967295")]
    [InlineData("session_expiry = 1.5", "'session_expiry' must be a whole number of seconds")]
    [InlineData("tls_version = sslv3", "'tls_version' must be one of")]
    [InlineData("skipretained = maybe", "'skipretained' must be a boolean")]
    [InlineData("cleansession = 2", "'cleansession' must be a boolean")]
    [InlineData("keepalive = -1", "'keepalive' must be an integer")]
    [InlineData("queue_size = 0", "'queue_size' must be an integer at least 1")]
    [InlineData("plugin_timeout = 0", "'plugin_timeout' must be a number of seconds greater than 0")]
    [InlineData("shutdown_timeout = soon", "'shutdown_timeout' must be a number of seconds greater than 0")]
    [InlineData("num_workers = many", "'num_workers' must be an integer")]
    [InlineData("plugins = [1, 2]", "'plugins' must be a list of names")]
    [InlineData("functions = udf.lua", "'functions' must name a C# script (.csx), a Python module (.py or a dotted module name) or a plugin assembly (.dll)")]
    [InlineData("functions = missing.csx", "missing.csx does not exist")]
    public void A_bad_value_is_an_error_at_its_line_in_defaults(string line, string message)
    {
        var diagnostic = SingleError(Load($"[defaults]\n\n{line}\n"));

        Assert.Equal(3, diagnostic.Location.Line);
        Assert.Equal("defaults", diagnostic.Section);
        Assert.Contains(message, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_typed_value_keeps_the_default()
    {
        var defaults = LoadValid("[defaults]\nport =\ntls =\nplugin_timeout =\n").Defaults;

        Assert.Equal((1883, false, 10.0), (defaults.Port, defaults.Tls, defaults.PluginTimeout));
    }

    [Fact]
    public void An_unknown_key_is_a_warning()
    {
        AssertWarning(Load("[defaults]\nhostnme = x\n"), 2, "Unknown key 'hostnme'");
    }

    [Fact]
    public void A_launched_name_without_its_section_is_an_error_at_the_launch_line()
    {
        AssertError(Load("[defaults]\n\nlaunch = log, smtp\n[config:log]\n"), 3, "Configuration section does not exist: config:smtp");
    }

    [Fact]
    public void A_service_section_that_is_not_launched_is_a_warning()
    {
        AssertWarning(Load("[defaults]\nlaunch = log\n[config:log]\n[config:file]\n"), 4, "[config:file] is not in 'launch'");
    }
}
