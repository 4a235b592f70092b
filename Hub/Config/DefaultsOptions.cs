namespace Hub.Config;

/// <summary>The <c>[defaults]</c> section (mqttwarn-compatible keys plus the hub's own).</summary>
public sealed class DefaultsOptions
{
    public string Hostname { get; init; } = "localhost";
    public int Port { get; init; } = 1883;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string ClientId { get; init; } = "hub";
    /// <summary>LWT/status topic; null disables the will and the alive message.</summary>
    public string? Lwt { get; init; } = "clients/hub";
    public string LwtAlive { get; init; } = "1";
    public string LwtDead { get; init; } = "0";
    public bool SkipRetained { get; init; }
    public bool CleanSession { get; init; }
    /// <summary>3 = MQTT 3.1, 4 = MQTT 3.1.1, 5 = MQTT 5.0.</summary>
    public int Protocol { get; init; } = 4;
    public int KeepAlive { get; init; } = 60;
    /// <summary>MQTT 5.0 session expiry in seconds (hub key <c>session_expiry</c>); null: 0 with <c>cleansession</c>, else never.</summary>
    public uint? SessionExpiry { get; init; }
    /// <summary>MQTT 5.0 Receive Maximum announced in CONNECT (hub key <c>receive_maximum</c>); null: 1024 (the inbound queue).</summary>
    public int? ReceiveMaximum { get; init; }
    /// <summary>MQTT 5.0 Topic Alias Maximum announced in CONNECT (hub key <c>topic_alias_maximum</c>); 0: the broker may use none.</summary>
    public int TopicAliasMaximum { get; init; } = 64;
    /// <summary>MQTT 5.0: use the broker's topic aliases for repeated topics we publish (hub key <c>topic_aliases</c>).</summary>
    public bool TopicAliases { get; init; } = true;
    public bool Tls { get; init; }
    /// <summary>Absolute path (resolved at load) of the PEM CA bundle.</summary>
    public string? CaCerts { get; init; }
    public string? CertFile { get; init; }
    public string? KeyFile { get; init; }
    /// <summary>tlsv1, tlsv1_1, tlsv1_2, tlsv1_3, or null for the platform default.</summary>
    public string? TlsVersion { get; init; }
    public bool TlsInsecure { get; init; }
    /// <summary>Python level name, upper case (DEBUG, INFO, WARNING, ERROR, CRITICAL).</summary>
    public string LogLevel { get; init; } = "INFO";
    public string LogFormat { get; init; } = "%(asctime)-15s %(levelname)-8s [%(name)-26s] %(message)s";
    /// <summary><c>stream://sys.stderr</c>, <c>stream://sys.stdout</c>, or an absolute file path.</summary>
    public string LogFile { get; init; } = "stream://sys.stderr";
    public string FilteredMessagesLogLevel { get; init; } = "INFO";
    /// <summary>Absolute path of the user-function file (a <c>.csx</c> script, a <c>.py</c> module or a <c>.dll</c>), a dotted Python module name not found as a file, or null.</summary>
    public string? Functions { get; init; }
    /// <summary>The CPython library to embed for Python functions and service modules (hub key <c>python</c>); null = the one of <c>python3</c>.</summary>
    public string? Python { get; init; }
    /// <summary>The line of <c>functions =</c> (0 when absent).</summary>
    public int FunctionsLine { get; init; }
    /// <summary>The line of <c>plugins =</c> (0 when absent): where a plugin that did not load is reported.</summary>
    public int PluginsLine { get; init; }
    public IReadOnlyList<string> Launch { get; init; } = [];
    public bool StatusPublish { get; init; }
    public string StatusTopic { get; init; } = "hub/$SYS";
    /// <summary><c>alarm_topic =</c>: the prefix of the alarm topics (<c>PREFIX/RULE/KEY</c>, <c>PREFIX/events</c>, the command topics).</summary>
    public string AlarmTopic { get; init; } = "alarms";
    /// <summary>Plugin directories (absolute); empty means the default: <c>plugins/</c> beside the hub executable.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];
    /// <summary>Directory of plugin state stores (hub key <c>state_dir</c>); null = <c>.hub-state</c> beside the config file.</summary>
    public string? StateDirectory { get; init; }
    /// <summary>Capacity of each target's queue (hub key <c>queue_size</c>).</summary>
    public int QueueSize { get; init; } = 10_000;
    /// <summary>Route workers: a message is routed on worker hash(topic) % this (hub key <c>route_workers</c>; default: the processor count).</summary>
    public int RouteWorkers { get; init; } = Environment.ProcessorCount;
    /// <summary>Messages each route worker may hold before reading from the broker pauses (hub key <c>route_queue</c>).</summary>
    public int RouteQueue { get; init; } = 1024;
    /// <summary>Seconds one delivery attempt may take before it counts as failed (hub key <c>plugin_timeout</c>).</summary>
    public double PluginTimeout { get; init; } = 10;
    /// <summary>Seconds SIGTERM waits for queues to drain (hub key <c>shutdown_timeout</c>).</summary>
    public double ShutdownTimeout { get; init; } = 10;
    /// <summary>Retries after a transient delivery failure (hub key <c>retries</c>; per service too).</summary>
    public int Retries { get; init; } = 5;
    /// <summary>The first retry's delay, doubled for each next one (hub key <c>retry_backoff</c>).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest delay between two retries (hub key <c>retry_max_backoff</c>).</summary>
    public TimeSpan RetryMaxBackoff { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>No retry starts later than this after the item was queued (hub key <c>retry_max_age</c>).</summary>
    public TimeSpan RetryMaxAge { get; init; } = TimeSpan.FromHours(1);
    /// <summary>Journal every target's accepted items on disk (hub key <c>durable</c>; per service and target too).</summary>
    public bool Durable { get; init; }
    /// <summary>Bytes of undelivered items each durable target's journal may hold (hub key <c>max_journal_bytes</c>; 0: no limit).</summary>
    public long MaxJournalBytes { get; init; } = 256L << 20;
    /// <summary>Reload plugins and this file when they change on disk (hub key <c>hot_reload</c>); SIGHUP reloads regardless.</summary>
    public bool HotReload { get; init; } = true;
}
