using Hub.Broker;
using Hub.Broker.Security;
using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Reads <c>[broker]</c>, the embedded MQTT broker (off unless <c>enabled = True</c>), into <see cref="BrokerOptions"/>.</summary>
internal static class BrokerReader
{
    public const string SectionName = "broker";

    private static readonly HashSet<string> KnownKeys =
    [
        "enabled", "listen", "tls_listen", "certfile", "keyfile", "persistence", "persistence_dir", "max_connections",
        "max_packet_size", "max_inflight", "max_queued_messages", "password_file", "acl_file", "allow_anonymous", "sys_interval",
        "max_connect_size", "max_queued_bytes", "connect_timeout",
    ];

    /// <summary>The options when the section is present and enabled, else null (errors reported either way).</summary>
    public static BrokerOptions? Read(IniSection? section, DefaultsOptions defaults, string configDirectory, DiagnosticBag diagnostics)
    {
        if (section is null)
        {
            return null;
        }

        var reader = new OptionReader(diagnostics, SectionName);
        var options = new BrokerOptions
        {
            PersistenceDirectory = Path.Combine(defaults.StateDirectory ?? Path.Combine(configDirectory, ".hub-state"), "broker"),
        };
        var enabled = false;
        bool? allowAnonymous = null;
        foreach (var entry in section.Entries)
        {
            if (!KnownKeys.Contains(entry.Key))
            {
                reader.Warning(entry.Line, $"Unknown key '{entry.Key}' in [broker] is ignored");
                continue;
            }

            var value = PythonLiteral.ParseOrText(entry.Value);
            var text = OptionReader.Text(entry, value);
            switch (entry.Key)
            {
                case "enabled":
                    enabled = reader.Bool(entry, value) ?? enabled;
                    break;
                case "listen":
                    options = options with { Listen = Endpoints(entry, text, reader) ?? options.Listen };
                    break;
                case "tls_listen":
                    options = options with { TlsListen = Endpoints(entry, text, reader) ?? options.TlsListen };
                    break;
                case "certfile":
                    options = options with { CertFile = ExistingFile(entry, text, configDirectory, reader) };
                    break;
                case "keyfile":
                    options = options with { KeyFile = ExistingFile(entry, text, configDirectory, reader) };
                    break;
                case "password_file":
                    options = options with { PasswordFile = ExistingFile(entry, text, configDirectory, reader) };
                    break;
                case "acl_file":
                    options = options with { AclFile = ExistingFile(entry, text, configDirectory, reader) };
                    break;
                case "persistence":
                    options = options with { Persistence = reader.Bool(entry, value) ?? options.Persistence };
                    break;
                case "persistence_dir":
                    options = options with { PersistenceDirectory = string.IsNullOrEmpty(text) ? options.PersistenceDirectory : ConfigPaths.Resolve(text, configDirectory) };
                    break;
                case "max_connections":
                    options = options with { MaxConnections = reader.Int(entry, value, 1, int.MaxValue) ?? options.MaxConnections };
                    break;
                case "max_packet_size":
                    options = options with { MaxPacketSize = reader.Int(entry, value, 64, Hub.Mqtt.Framing.RemainingLength.Max + 5) ?? options.MaxPacketSize };
                    break;
                case "max_inflight":
                    options = options with { MaxInflight = reader.Int(entry, value, 1, ushort.MaxValue) ?? options.MaxInflight };
                    break;
                case "max_queued_messages":
                    options = options with { MaxQueuedMessages = reader.Int(entry, value, 0, int.MaxValue) ?? options.MaxQueuedMessages };
                    break;
                case "max_queued_bytes":
                    options = options with { MaxQueuedBytes = ConfigValues.TryToInt(value, out var none) && none == 0 ? 0 : reader.ByteSize(entry, text) ?? options.MaxQueuedBytes };
                    break;
                case "max_connect_size":
                    options = options with { MaxConnectSize = reader.Int(entry, value, 64, Hub.Mqtt.Framing.RemainingLength.Max + 5) ?? options.MaxConnectSize };
                    break;
                case "connect_timeout":
                    options = options with { ConnectTimeout = reader.Duration(entry, text) ?? options.ConnectTimeout };
                    break;
                case "allow_anonymous":
                    allowAnonymous = reader.Bool(entry, value);
                    break;
                case "sys_interval":
                    options = options with { SysInterval = ConfigValues.TryToInt(value, out var zero) && zero == 0 ? TimeSpan.Zero : reader.Duration(entry, text) ?? options.SysInterval };
                    break;
            }
        }

        options = options with { AllowAnonymous = allowAnonymous ?? options.PasswordFile is null };
        if (options.TlsListen.Count > 0 && (options.CertFile is null || options.KeyFile is null))
        {
            reader.Error(section.Find("tls_listen")!.Line, "'tls_listen' needs 'certfile' and 'keyfile' (PEM)");
        }

        if (options.PasswordFile is not null || options.AclFile is not null)
        {
            // Checked here, so `hub check` names the line of a bad password or ACL file, as for any other error.
            try
            {
                BrokerSecurity.Load(options.PasswordFile, options.AclFile, options.AllowAnonymous);
            }
            catch (BrokerSecurityException ex)
            {
                diagnostics.ErrorIn(ex.File, ex.Line, ex.Detail);
            }
        }

        return enabled ? options : null;
    }

    private static List<string>? Endpoints(IniEntry entry, string? text, OptionReader reader)
    {
        var endpoints = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        foreach (var endpoint in endpoints)
        {
            if (!BrokerEndpoint.TryParse(endpoint, out _, out _))
            {
                reader.Error(entry.Line, $"'{entry.Key}' must be a comma-separated list of HOST:PORT, not '{endpoint}'");
                return null;
            }
        }

        return endpoints;
    }

    /// <summary>A path resolved against the configuration's folder; a missing file is an error at the key's line.</summary>
    internal static string? ExistingFile(IniEntry entry, string? text, string configDirectory, OptionReader reader)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var path = ConfigPaths.Resolve(text, configDirectory);
        if (!File.Exists(path))
        {
            reader.Error(entry.Line, $"'{entry.Key}' file not found: {path}");
        }

        return path;
    }
}
