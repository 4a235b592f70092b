using System.Globalization;

namespace Hub.Tests.Support;

/// <summary>
/// Debian's <c>carbon-cache</c> (graphite-carbon) in the foreground with a generated carbon.conf and
/// storage-schemas.conf (one point per second for a day): plaintext and pickle receivers and the cache query
/// port on free loopback ports, whisper files under its own directory. <see cref="FetchAsync"/> reads a metric
/// back with <c>whisper-fetch</c> (python3-whisper).
/// </summary>
public sealed class CarbonServer : IAsyncDisposable
{
    private CarbonServer(ChildServer server, int picklePort)
    {
        Server = server;
        PicklePort = picklePort;
    }

    public ChildServer Server { get; }

    public int PlaintextPort => Server.Port;

    public int PicklePort { get; }

    public string WhisperDirectory => Server.Directory.File("storage/whisper");

    public static async Task<CarbonServer> StartAsync()
    {
        var directory = new TempDirectory();
        var line = ChildServer.FreePort();
        var pickle = ChildServer.FreePort();
        var query = ChildServer.FreePort();
        var root = directory.Path + "/";
        directory.Write("storage-schemas.conf", """
            [default]
            pattern = .*
            retentions = 1s:1d
            """);
        var config = directory.Write("carbon.conf", $"""
            [cache]
            STORAGE_DIR = {root}storage/
            LOCAL_DATA_DIR = {root}storage/whisper/
            WHITELISTS_DIR = {root}storage/lists/
            CONF_DIR = {root}
            LOG_DIR = {root}log/
            PID_DIR = {root}
            ENABLE_LOGROTATION = False
            USER =
            MAX_CACHE_SIZE = inf
            MAX_UPDATES_PER_SECOND = 100000
            MAX_CREATES_PER_MINUTE = inf
            LINE_RECEIVER_INTERFACE = 127.0.0.1
            LINE_RECEIVER_PORT = {line.ToString(CultureInfo.InvariantCulture)}
            ENABLE_UDP_LISTENER = False
            PICKLE_RECEIVER_INTERFACE = 127.0.0.1
            PICKLE_RECEIVER_PORT = {pickle.ToString(CultureInfo.InvariantCulture)}
            CACHE_QUERY_INTERFACE = 127.0.0.1
            CACHE_QUERY_PORT = {query.ToString(CultureInfo.InvariantCulture)}
            LOG_UPDATES = False
            LOG_CACHE_HITS = False
            """);
        var server = await ChildServer.StartAsync(ChildServer.Find("carbon-cache", "graphite-carbon"),
            [$"--config={config}", "--nodaemon", "--instance=a", "start"], line, directory);
        return new CarbonServer(server, pickle);
    }

    /// <summary>The metric's whisper file (dots are directories).</summary>
    public string WhisperFile(string metric) => Path.Combine(WhisperDirectory, metric.Replace('.', '/') + ".wsp");

    /// <summary>
    /// The metric's points from <paramref name="from"/> on (epoch seconds → value), read with <c>whisper-fetch</c>
    /// once carbon has written them (it writes from its cache in the background): waits until
    /// <paramref name="expected"/> points have a value.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, double>> FetchAsync(string metric, long from, int expected, TimeSpan timeout)
    {
        IReadOnlyDictionary<long, double> points = new Dictionary<long, double>();
        var file = WhisperFile(metric);
        await Condition.UntilAsync(async () =>
        {
            if (!File.Exists(file))
            {
                return false;
            }

            var result = await ProcessRunner.RunAsync(ChildServer.Find("whisper-fetch", "python3-whisper"),
                ["--from", from.ToString(CultureInfo.InvariantCulture), file], TimeSpan.FromSeconds(30));
            points = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('\t'))
                .Where(p => p.Length == 2 && p[1] != "None")
                .ToDictionary(p => long.Parse(p[0], CultureInfo.InvariantCulture), p => double.Parse(p[1], CultureInfo.InvariantCulture));
            return points.Count >= expected;
        }, timeout, $"{expected} points of {metric} in whisper ({file})");
        return points;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
