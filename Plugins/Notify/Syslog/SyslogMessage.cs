using System.Globalization;
using System.Text;

namespace Hub.Plugins.Notify;

/// <summary>The two wire formats: RFC 5424 for collectors, and the BSD form glibc's <c>syslog()</c> writes to the local socket.</summary>
public static class SyslogMessage
{
    /// <summary><c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID - - MSG</c> (no MSGID, no structured data).</summary>
    public static byte[] Rfc5424(int facility, int severity, DateTimeOffset time, string? hostname, string appName, int processId, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"<{facility * 8 + severity}>1 {time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} {Field(hostname, 255)} {Field(appName, 48)} {processId} - - ");
        return [.. Encoding.ASCII.GetBytes(header), .. Encoding.UTF8.GetBytes(message)];
    }

    /// <summary><c>&lt;PRI&gt;Mmm dd hh:mm:ss IDENT[PID]: MSG</c>, local time, as glibc sends to <c>/dev/log</c>.</summary>
    public static byte[] Local(int facility, int severity, DateTimeOffset localTime, string ident, int? processId, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stamp = localTime.ToString("MMM ", CultureInfo.InvariantCulture) + localTime.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + localTime.ToString(" HH:mm:ss", CultureInfo.InvariantCulture);
        var pid = processId is { } id ? $"[{id.ToString(CultureInfo.InvariantCulture)}]" : "";
        return Encoding.UTF8.GetBytes($"<{facility * 8 + severity}>{stamp} {Field(ident, 48)}{pid}: {message}");
    }

    /// <summary>A header field: printable US-ASCII without spaces (others become <c>_</c>), cut to its limit; <c>-</c> when empty.</summary>
    public static string Field(string? value, int limit)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var clean = new string([.. value.Select(c => c is > ' ' and < (char)127 ? c : '_')]);
        return clean.Length <= limit ? clean : clean[..limit];
    }
}
