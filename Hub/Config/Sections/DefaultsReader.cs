using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Reads <c>[defaults]</c> (path L, <c>launch</c> path S) into <see cref="DefaultsOptions"/>.</summary>
internal static class DefaultsReader
{
    public const string SectionName = "defaults";

    private static readonly HashSet<string> KnownKeys =
    [
        "hostname", "port", "username", "password", "clientid", "lwt", "lwt_alive", "lwt_dead", "skipretained",
        "cleansession", "protocol", "tls", "ca_certs", "certfile", "keyfile", "tls_version", "tls_insecure",
        "loglevel", "logformat", "logfile", "filteredmessagesloglevel", "functions", "launch", "num_workers",
        "status_publish", "status_topic", "alarm_topic", "plugins", "keepalive", "queue_size", "plugin_timeout", "shutdown_timeout", "state_dir",
        "session_expiry", "retries", "retry_backoff", "retry_max_backoff", "retry_max_age", "durable", "max_journal_bytes",
        "hot_reload", "receive_maximum", "topic_alias_maximum", "topic_aliases", "route_workers", "route_queue",
        "python",
    ];

    private static readonly HashSet<string> TlsVersions = ["tlsv1", "tlsv1_1", "tlsv1_2", "tlsv1_3"];

    public static DefaultsOptions Read(IniSection? section, string configDirectory, DiagnosticBag diagnostics)
    {
        var reader = new OptionReader(diagnostics, SectionName);
        var values = new Dictionary<string, object?>();
        foreach (var entry in section?.Entries ?? [])
        {
            if (!KnownKeys.Contains(entry.Key))
            {
                reader.Warning(entry.Line, $"Unknown key '{entry.Key}' in [defaults] is ignored");
                continue;
            }

            if (ReadKey(entry, reader, configDirectory, out var value))
            {
                values[entry.Key] = value;
            }
        }

        return Build(values, section?.Find("functions")?.Line ?? 0, section?.Find("plugins")?.Line ?? section?.Line ?? 0);
    }

    private static DefaultsOptions Build(Dictionary<string, object?> values, int functionsLine, int pluginsLine)
    {
        var defaults = new DefaultsOptions();
        T Get<T>(string key, T fallback) => values.TryGetValue(key, out var value) && value is T typed ? typed : fallback;
        string? GetNullable(string key, string? fallback) => values.TryGetValue(key, out var value) ? value as string : fallback;

        var caCerts = GetNullable("ca_certs", null);
        return new DefaultsOptions
        {
            Hostname = Get("hostname", defaults.Hostname),
            Port = Get("port", defaults.Port),
            Username = GetNullable("username", null),
            Password = GetNullable("password", null),
            ClientId = Get("clientid", defaults.ClientId),
            Lwt = GetNullable("lwt", defaults.Lwt),
            LwtAlive = Get("lwt_alive", defaults.LwtAlive),
            LwtDead = Get("lwt_dead", defaults.LwtDead),
            SkipRetained = Get("skipretained", defaults.SkipRetained),
            CleanSession = Get("cleansession", defaults.CleanSession),
            Protocol = Get("protocol", defaults.Protocol),
            KeepAlive = Get("keepalive", defaults.KeepAlive),
            // A CA bundle only makes sense with TLS, so naming one switches TLS on (as in mqttwarn).
            Tls = Get("tls", defaults.Tls) || caCerts is not null,
            CaCerts = caCerts,
            CertFile = GetNullable("certfile", null),
            KeyFile = GetNullable("keyfile", null),
            TlsVersion = GetNullable("tls_version", null),
            TlsInsecure = Get("tls_insecure", defaults.TlsInsecure),
            LogLevel = Get("loglevel", defaults.LogLevel),
            LogFormat = Get("logformat", defaults.LogFormat),
            LogFile = Get("logfile", defaults.LogFile),
            FilteredMessagesLogLevel = Get("filteredmessagesloglevel", defaults.FilteredMessagesLogLevel),
            Functions = GetNullable("functions", null),
            Python = GetNullable("python", null),
            FunctionsLine = functionsLine,
            PluginsLine = pluginsLine,
            Launch = Get<IReadOnlyList<string>>("launch", defaults.Launch),
            StatusPublish = Get("status_publish", defaults.StatusPublish),
            StatusTopic = Get("status_topic", defaults.StatusTopic),
            AlarmTopic = Get("alarm_topic", defaults.AlarmTopic).TrimEnd('/'),
            Plugins = Get<IReadOnlyList<string>>("plugins", defaults.Plugins),
            QueueSize = Get("queue_size", defaults.QueueSize),
            RouteWorkers = Get("route_workers", defaults.RouteWorkers),
            RouteQueue = Get("route_queue", defaults.RouteQueue),
            PluginTimeout = Get("plugin_timeout", defaults.PluginTimeout),
            ShutdownTimeout = Get("shutdown_timeout", defaults.ShutdownTimeout),
            StateDirectory = GetNullable("state_dir", null),
            HotReload = Get("hot_reload", defaults.HotReload),
            Retries = Get("retries", defaults.Retries),
            Durable = Get("durable", defaults.Durable),
            MaxJournalBytes = Get("max_journal_bytes", defaults.MaxJournalBytes),
            ReceiveMaximum = values.TryGetValue("receive_maximum", out var receiveMaximum) && receiveMaximum is int receive ? receive : null,
            TopicAliasMaximum = Get("topic_alias_maximum", defaults.TopicAliasMaximum),
            TopicAliases = Get("topic_aliases", defaults.TopicAliases),
            SessionExpiry = values.TryGetValue("session_expiry", out var expiry) && expiry is long seconds ? (uint)seconds : null,
            RetryBackoff = Get("retry_backoff", defaults.RetryBackoff),
            RetryMaxBackoff = Get("retry_max_backoff", defaults.RetryMaxBackoff),
            RetryMaxAge = Get("retry_max_age", defaults.RetryMaxAge),
        };
    }

    /// <summary>Converts one key to its option type; false (after reporting) when the value is unusable.</summary>
    private static bool ReadKey(IniEntry entry, OptionReader reader, string configDirectory, out object? result)
    {
        if (entry.Key == "launch")
        {
            result = LaunchList.Read(entry.Value);
            return true;
        }

        var value = PythonLiteral.ParseOrText(entry.Value);
        var text = OptionReader.Text(entry, value);
        result = entry.Key switch
        {
            "hostname" or "clientid" or "lwt_alive" or "lwt_dead" or "logformat" or "status_topic" or "alarm_topic" => text,
            "username" or "password" => text,
            "lwt" => string.IsNullOrEmpty(text) ? null : text,
            "port" => reader.Int(entry, value, 1, 65535),
            "keepalive" => reader.Int(entry, value, 0, 65535),
            "num_workers" => reader.Int(entry, value, 1, int.MaxValue),
            "queue_size" => reader.Int(entry, value, 1, int.MaxValue),
            "route_workers" => reader.Int(entry, value, 1, 1024),
            "route_queue" => reader.Int(entry, value, 1, int.MaxValue),
            "protocol" => Protocol(entry, value, reader),
            "skipretained" or "cleansession" or "tls" or "tls_insecure" or "status_publish" or "hot_reload" or "durable" or "topic_aliases" => reader.Bool(entry, value),
            "receive_maximum" => reader.Int(entry, value, 1, 65535),
            "topic_alias_maximum" => reader.Int(entry, value, 0, 65535),
            "plugin_timeout" or "shutdown_timeout" => reader.PositiveSeconds(entry, value),
            "retries" => reader.Int(entry, value, 0, 1000),
            "session_expiry" => SessionExpiry(entry, value, reader),
            "retry_backoff" or "retry_max_backoff" or "retry_max_age" => reader.Duration(entry, text),
            "max_journal_bytes" => reader.ByteSize(entry, text),
            "ca_certs" or "certfile" or "keyfile" or "state_dir" or "python" => string.IsNullOrEmpty(text) ? null : ConfigPaths.Resolve(text, configDirectory),
            "tls_version" => TlsVersion(entry, text, reader),
            "loglevel" or "filteredmessagesloglevel" => LogLevel(entry, text, reader),
            "logfile" => LogFile(value, text, configDirectory),
            "functions" => Functions(entry, text, reader, configDirectory),
            "plugins" => reader.StringList(entry, value)?.Select(p => ConfigPaths.Resolve(p, configDirectory)).ToList(),
            _ => null,
        };

        // Keys whose absence of a value means "use the default" are dropped here, so the default stays.
        return result is not null || entry.Key is "username" or "password" or "lwt" or "ca_certs" or "certfile"
            or "keyfile" or "tls_version" or "functions" or "state_dir" or "python";
    }

    /// <summary>
    /// A Python logging level name, any case. mqttwarn runs an unknown name at NOTSET (log everything); a typo that
    /// silently turns on debug logging is refused here instead.
    /// </summary>
    private static object? LogLevel(IniEntry entry, string? text, OptionReader reader)
    {
        if (LogLevels.Normalise(text) is { } level)
        {
            return level;
        }

        reader.Error(entry.Line, $"'{entry.Key}' must be one of {LogLevels.Names}, not '{text?.Trim()}'");
        return null;
    }

    private static object? Protocol(IniEntry entry, object? value, OptionReader reader)
    {
        if (!ConfigValues.TryToInt(value, out var protocol) || protocol is not (3 or 4 or 5))
        {
            reader.Error(entry.Line, $"'protocol' must be 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5.0), not '{entry.Value.Trim()}'");
            return null;
        }

        return protocol;
    }

    /// <summary>Seconds from 0 to 4294967295 (MQTT 5.0's "never expires"), as a boxed long.</summary>
    private static object? SessionExpiry(IniEntry entry, object? value, OptionReader reader)
    {
        if (ConfigValues.TryToDouble(value, out var seconds) && seconds >= 0 && seconds <= uint.MaxValue && seconds == Math.Floor(seconds))
        {
            return (long)seconds;
        }

        reader.Error(entry.Line, $"'session_expiry' must be a whole number of seconds from 0 to 4294967295, not '{entry.Value.Trim()}'");
        return null;
    }

    private static string? TlsVersion(IniEntry entry, string? text, OptionReader reader)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var version = text.ToLowerInvariant();
        if (!TlsVersions.Contains(version))
        {
            reader.Error(entry.Line, $"'tls_version' must be one of tlsv1, tlsv1_1, tlsv1_2, tlsv1_3, not '{text}'");
            return null;
        }

        return version;
    }

    private static string? LogFile(object? value, string? text, string configDirectory)
    {
        if (value is false || string.IsNullOrEmpty(text))
        {
            return new DefaultsOptions().LogFile;
        }

        return text.StartsWith("stream://", StringComparison.Ordinal) ? text : ConfigPaths.Resolve(text, configDirectory);
    }

    private static string? Functions(IniEntry entry, string? text, OptionReader reader, string configDirectory)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var extension = Path.GetExtension(text).ToLowerInvariant();
        if (extension is ".csx" or ".py" or ".dll")
        {
            // A .py runs in the embedded Python (Hub/Functions/Python); to run a C# port of it, name the .csx.
            return ConfigPaths.Resolve(text, configDirectory);
        }

        if (PythonModuleName.IsDotted(text))
        {
            // mqttwarn's dotted module name (functions = examples.homie.homie): its file when found, else an installed module.
            return PythonModuleName.Resolve(text, configDirectory);
        }

        reader.Error(entry.Line, $"'functions' must name a C# script (.csx), a Python module (.py or a dotted module name) or a plugin assembly (.dll), not '{text}'");
        return null;
    }
}
