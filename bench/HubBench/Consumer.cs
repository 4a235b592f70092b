using System.Diagnostics;
using System.Globalization;

namespace HubBench;

/// <summary>
/// A process that subscribes and writes one line per message to a file: either the reference
/// (mosquitto_sub, line-buffered) or the hub with a file target. The bench tails the file.
/// </summary>
internal sealed class Consumer : IDisposable
{
    private readonly Process _process;

    private Consumer(string name, Process process, string output)
    {
        Name = name;
        _process = process;
        Output = output;
    }

    public string Name { get; }
    public string Output { get; }
    public int Pid => _process.Id;

    public static Consumer MosquittoSub(string directory, int port, int qos)
    {
        var output = Path.Combine(directory, $"ref-q{qos}.txt");
        var script = $"exec stdbuf -oL mosquitto_sub -h 127.0.0.1 -p {port} -t 'bench/#' -q {qos} -i bench-ref-{qos} > '{output}'";
        return new Consumer("mosquitto_sub", Process.Start(new ProcessStartInfo("sh", ["-c", script]))!, output);
    }

    /// <param name="format">The route's <c>format</c> (none: the payload as it came).</param>
    /// <param name="web">A <c>[web] listen</c> address: the hub then serves /metrics there.</param>
    public static Consumer Hub(string directory, string hubExecutable, int port, int qos, string tag, bool durable = false, string? format = null, string? web = null)
    {
        // The output lives apart from the configuration, as in a deployment (/etc and /var/log): hot_reload watches the
        // configuration's folder, and a target file inside it would wake the watcher on every write.
        var output = Path.Combine(Directory.CreateDirectory(Path.Combine(directory, "out")).FullName, $"hub-q{qos}-{tag}.txt");
        File.WriteAllText(output, ""); // the tail opens it before the first message arrives
        var config = Path.Combine(directory, $"hub-q{qos}-{tag}.ini");
        File.WriteAllText(config, $$"""
            [defaults]
            hostname = '127.0.0.1'
            port = {{port}}
            clientid = 'bench-hub-{{qos}}-{{tag}}'
            cleansession = True
            lwt = None
            loglevel = WARNING
            launch = file
            durable = {{durable}}
            state_dir = '{{Path.Combine(directory, $"state-{tag}")}}'

            [config:file]
            append_newline = True
            targets = { 'out': ['{{output}}'] }

            [bench/#]
            targets = file:out
            qos = {{qos}}
            {{(format is null ? "" : $"format = {format}")}}
            {{(web is null ? "" : $"[web]\nlisten = {web}")}}
            """);
        var start = new ProcessStartInfo(hubExecutable, ["run", "--config", config]) { RedirectStandardError = false };
        return new Consumer("hub", Process.Start(start)!, output);
    }

    /// <summary>Peak resident set size (VmHWM) of the consumer process, in MB.</summary>
    public double PeakRssMb()
    {
        var pid = _process.Id;
        if (Name == "mosquitto_sub")
        {
            // sh exec'd mosquitto_sub, so the pid is the same.
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }
}
