namespace Hub.Plugins.Notify;

/// <summary>Syslog's facility and severity numbers (RFC 5424 §6.2.1) and mqttwarn's names for them.</summary>
public static class SyslogCodes
{
    private static readonly Dictionary<string, int> Facilities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["kern"] = 0, ["kernel"] = 0, ["user"] = 1, ["mail"] = 2, ["daemon"] = 3, ["auth"] = 4, ["syslog"] = 5,
        ["lpr"] = 6, ["news"] = 7, ["uucp"] = 8, ["cron"] = 9, ["authpriv"] = 10, ["ftp"] = 11,
        ["local0"] = 16, ["local1"] = 17, ["local2"] = 18, ["local3"] = 19,
        ["local4"] = 20, ["local5"] = 21, ["local6"] = 22, ["local7"] = 23,
    };

    /// <summary>mqttwarn's openlog options; only <c>pid</c> changes what the hub sends.</summary>
    public static readonly IReadOnlyList<string> OptionNames = ["pid", "cons", "ndelay", "nowait", "perror"];

    public static IEnumerable<string> FacilityNames => Facilities.Keys;

    public static int? Facility(string? name) => name is not null && Facilities.TryGetValue(name.Trim(), out var code) ? code : null;

    /// <summary>mqttwarn's priority → severity: 5 EMERG(0), 4 ALERT, 3 CRIT, 2 ERR, 1 WARNING, 0 NOTICE, −1 INFO, −2 DEBUG(7); beyond the range, the nearest end.</summary>
    public static int Severity(int priority) => 5 - Math.Clamp(priority, -2, 5);
}
