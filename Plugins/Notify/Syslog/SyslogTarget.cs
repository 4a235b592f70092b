using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>syslog</c> target: mqttwarn's <c>[facility, option]</c> (both optional here),
/// or a dict <c>{facility, option, host, port, protocol}</c> overriding the service's options.
/// </summary>
public sealed record SyslogTarget(int Facility, bool IncludePid, string? Host, int Port, bool Tcp)
{
    public static SyslogTarget From(SyslogOptions service, object? descriptor)
    {
        ArgumentNullException.ThrowIfNull(service);
        string? facility = null, option = null, host = service.Host, protocol = service.Protocol;
        var port = service.Port;
        switch (descriptor)
        {
            case null:
                break;
            case IReadOnlyDictionary<string, object?> named:
                var unknown = named.Keys.Except(["facility", "option", "host", "port", "protocol"]).ToList();
                if (unknown.Count > 0)
                {
                    throw new FormatException($"unknown key '{unknown[0]}' in the target (known: facility, option, host, port, protocol)");
                }

                facility = OptionValues.ToText(named.GetValueOrDefault("facility"));
                option = OptionValues.ToText(named.GetValueOrDefault("option"));
                host = OptionValues.ToText(named.GetValueOrDefault("host")) ?? host;
                port = named.GetValueOrDefault("port") is { } p ? OptionValues.ToInt(p, "port") : port;
                protocol = OptionValues.ToText(named.GetValueOrDefault("protocol")) ?? protocol;
                break;
            case IReadOnlyList<object?> { Count: <= 2 } list when list.All(i => i is null or string):
                (facility, option) = (list.ElementAtOrDefault(0) as string, list.ElementAtOrDefault(1) as string);
                break;
            default:
                throw new FormatException("the target must be [facility, option], [facility], [] or {'facility': …, 'option': …, 'host': …, 'port': …, 'protocol': …}");
        }

        var code = SyslogCodes.Facility(facility ?? service.Facility)
            ?? throw new FormatException($"unknown facility '{facility}' (known: {string.Join(", ", SyslogCodes.FacilityNames)})");
        if (option is not null && !SyslogCodes.OptionNames.Contains(option.Trim().ToLowerInvariant()))
        {
            throw new FormatException($"unknown option '{option}' (known: {string.Join(", ", SyslogCodes.OptionNames)})");
        }

        if (port is < 1 or > 65535)
        {
            throw new FormatException("port must be between 1 and 65535");
        }

        if (protocol.ToLowerInvariant() is not ("udp" or "tcp"))
        {
            throw new FormatException($"protocol must be udp or tcp, not '{protocol}'");
        }

        return new SyslogTarget(code, option?.Trim().ToLowerInvariant() == "pid", string.IsNullOrWhiteSpace(host) ? null : host.Trim(), port, protocol.ToLowerInvariant() == "tcp");
    }
}
