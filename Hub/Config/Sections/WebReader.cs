using Hub.Broker;
using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Reads <c>[web]</c>, the HTTP endpoint for metrics and health (on when the section is present), into <see cref="WebOptions"/>.</summary>
internal static class WebReader
{
    public const string SectionName = "web";

    private static readonly HashSet<string> KnownKeys = ["enabled", "listen", "certfile", "keyfile", "auth_token"];

    /// <summary>The options when the section is present and not disabled, else null (errors reported either way).</summary>
    public static WebOptions? Read(IniSection? section, string configDirectory, DiagnosticBag diagnostics)
    {
        if (section is null)
        {
            return null;
        }

        var reader = new OptionReader(diagnostics, SectionName);
        var options = new WebOptions();
        var enabled = true;
        foreach (var entry in section.Entries)
        {
            if (!KnownKeys.Contains(entry.Key))
            {
                reader.Warning(entry.Line, $"Unknown key '{entry.Key}' in [web] is ignored");
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
                    options = Listen(entry, text, reader, options);
                    break;
                case "certfile":
                    options = options with { CertFile = BrokerReader.ExistingFile(entry, text, configDirectory, reader) };
                    break;
                case "keyfile":
                    options = options with { KeyFile = BrokerReader.ExistingFile(entry, text, configDirectory, reader) };
                    break;
                case "auth_token":
                    // The token itself is never echoed in a message: it may have come from $ENV: or ${FILE:}.
                    options = options with { AuthToken = string.IsNullOrWhiteSpace(text) ? null : text.Trim() };
                    break;
            }
        }

        if ((options.CertFile is null) != (options.KeyFile is null))
        {
            reader.Error((section.Find("certfile") ?? section.Find("keyfile"))!.Line, "HTTPS needs both 'certfile' and 'keyfile' (PEM)");
        }

        if (!WebAddress.IsLoopback(options.Host) && options.AuthToken is null)
        {
            reader.Error(section.Find("listen")!.Line,
                $"'listen = {options.Host}:{options.Port}' is reachable from other machines: set 'auth_token' (it may come from $ENV:NAME or ${{FILE:path}})");
        }

        return enabled ? options : null;
    }

    private static WebOptions Listen(IniEntry entry, string? text, OptionReader reader, WebOptions options)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains(',', StringComparison.Ordinal) || !BrokerEndpoint.TryParse(text, out var host, out var port))
        {
            reader.Error(entry.Line, $"'listen' must be one HOST:PORT such as {WebOptions.DefaultListen} or [::1]:8080, not '{entry.Value.Trim()}'");
            return options;
        }

        return options with { Host = host, Port = port };
    }
}
