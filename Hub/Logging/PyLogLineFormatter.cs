using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Hub.Logging;

/// <summary>
/// Renders a log record with a Python logging format (<c>%(asctime)-15s %(levelname)-8s …</c>).
/// Supported: asctime, levelname, name, message, threadName, process, with <c>-</c> and width.
/// Line breaks in messages are escaped so that every record is one line.
/// </summary>
public sealed partial class PyLogLineFormatter
{
    private readonly List<Func<Record, string>> _parts = [];

    public PyLogLineFormatter(string format)
    {
        var last = 0;
        foreach (Match m in Placeholder().Matches(format))
        {
            var literal = format[last..m.Index];
            _parts.Add(_ => literal);
            last = m.Index + m.Length;
            var left = m.Groups["flags"].Value.Contains('-');
            var width = m.Groups["width"].Success ? int.Parse(m.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
            Func<Record, string>? value = m.Groups["name"].Value switch
            {
                "asctime" => r => r.Time.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture),
                "levelname" => r => PyLogLevel.Name(r.Level),
                "name" => r => r.Category,
                "message" => r => r.Message,
                "threadName" => _ => Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture),
                "process" => _ => Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
            if (value is null)
            {
                var text = m.Value;
                _parts.Add(_ => text);
                continue;
            }

            _parts.Add(width == 0 ? value : r => left ? value(r).PadRight(width) : value(r).PadLeft(width));
        }

        var tail = format[last..];
        _parts.Add(_ => tail);
    }

    public string Format(DateTimeOffset localTime, LogLevel level, string category, string message, Exception? exception)
    {
        var text = exception is null ? message : $"{message}: {exception.GetType().Name}: {exception.Message}";
        var record = new Record(localTime, level, category, OneLine(text));
        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            sb.Append(part(record));
        }

        return sb.ToString();
    }

    /// <summary>Escapes CR, LF and other control characters so a record cannot forge further log lines.</summary>
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private sealed record Record(DateTimeOffset Time, LogLevel Level, string Category, string Message);

    [GeneratedRegex(@"%\((?<name>\w+)\)(?<flags>[-#0 +]*)(?<width>\d+)?(?:\.\d+)?[sdfr]")]
    private static partial Regex Placeholder();
}
