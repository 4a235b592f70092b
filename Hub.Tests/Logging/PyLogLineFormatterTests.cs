using Hub.Logging;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Logging;

public sealed class PyLogLineFormatterTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 22, 10, 38, 43, 910, TimeSpan.Zero);

    [Fact]
    public void The_default_mqttwarn_format_is_reproduced()
    {
        var formatter = new PyLogLineFormatter("%(asctime)-15s %(levelname)-8s [%(name)-26s] %(message)s");
        Assert.Equal("2026-11-22 10:38:43,910 WARNING  [hub.core                  ] broker lost",
            formatter.Format(Time, LogLevel.Warning, "hub.core", "broker lost", null));
    }

    [Fact]
    public void A_message_with_line_breaks_stays_one_line()
    {
        var formatter = new PyLogLineFormatter("%(levelname)s %(message)s");
        Assert.Equal("INFO a\\nFAKE b\\r", formatter.Format(Time, LogLevel.Information, "x", "a\nFAKE b\r", null));
    }

    [Fact]
    public void Unknown_placeholders_stay_as_written()
    {
        var formatter = new PyLogLineFormatter("%(funcName)s|%(message)s");
        Assert.Equal("%(funcName)s|m", formatter.Format(Time, LogLevel.Information, "x", "m", null));
    }

    [Theory]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("FATAL", LogLevel.Critical)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("bogus", LogLevel.Debug)]
    public void Python_level_names_are_understood(string name, LogLevel level) => Assert.Equal(level, PyLogLevel.Parse(name));
}
