using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>One <c>carbon</c> target: mqttwarn's <c>['host', port]</c>, a dict <c>{'host', 'port', 'protocol', 'prefix'}</c>, or empty (the service's).</summary>
public sealed record CarbonTarget(string Host, int Port, bool Pickle, string Prefix)
{
    private static readonly string[] Keys = ["host", "port", "protocol", "prefix"];

    public static CarbonTarget From(CarbonOptions options, object? descriptor)
    {
        ArgumentNullException.ThrowIfNull(options);
        string host = options.Host, protocol = options.Protocol, prefix = options.Prefix;
        object? port = null;
        if (Descriptor.Named(descriptor) is { } named)
        {
            foreach (var key in named.Keys.Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
            {
                throw new FormatException($"unknown key '{key}' (known: {string.Join(", ", Keys)})");
            }

            host = named.GetValueOrDefault("host") as string ?? host;
            port = named.GetValueOrDefault("port");
            protocol = named.GetValueOrDefault("protocol") as string ?? protocol;
            prefix = named.GetValueOrDefault("prefix") as string ?? prefix;
            if (protocol is not ("plaintext" or "pickle"))
            {
                throw new FormatException($"'protocol' must be plaintext or pickle, not '{protocol}'");
            }
        }
        else if (Descriptor.Items(descriptor) is [string listHost, var listPort])
        {
            host = listHost;
            port = listPort;
        }
        else if (Descriptor.Items(descriptor) is not [])
        {
            throw new FormatException("the target must be ['host', port], a dict with host, port, protocol, prefix, or []");
        }

        var number = port is null ? (options.Port > 0 ? options.Port : protocol == "pickle" ? 2004 : 2003) : OptionValues.ToInt(port, "port");
        if (number is < 1 or > 65535)
        {
            throw new FormatException($"port must be between 1 and 65535, not {number}");
        }

        return string.IsNullOrWhiteSpace(host)
            ? throw new FormatException("host must not be empty")
            : new CarbonTarget(host, number, protocol == "pickle", prefix);
    }
}
