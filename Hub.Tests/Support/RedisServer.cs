using System.Globalization;

namespace Hub.Tests.Support;

/// <summary>
/// Debian's <c>redis-server</c> on a free loopback port with its own directory. Not persistent by default
/// (<c>--save ''</c>); <c>appendOnly</c> keeps every write in an fsynced append-only file, so the data survives
/// <see cref="ChildServer.StopAsync"/> and a start again. <see cref="CliAsync"/> runs <c>redis-cli</c> against it.
/// </summary>
public static class RedisServer
{
    public static async Task<ChildServer> StartAsync(bool appendOnly = false)
    {
        var directory = new TempDirectory();
        var port = ChildServer.FreePort();
        string[] arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", directory.Path,
            "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always", "--daemonize", "no", "--logfile", "",
        ];
        return await ChildServer.StartAsync(ChildServer.Find("redis-server", "redis-server"), arguments, port, directory);
    }

    /// <summary><c>redis-cli -p PORT --no-raw ARGS</c>'s standard output, trimmed; a failure fails the test.</summary>
    public static async Task<string> CliAsync(ChildServer server, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(server);
        var result = await ProcessRunner.RunAsync(ChildServer.Find("redis-cli", "redis-tools"), ["-h", server.Host, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "--raw", .. args], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"redis-cli {string.Join(' ', args)}: {result}");
        return result.StandardOutput.TrimEnd('\n');
    }
}
