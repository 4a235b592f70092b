using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hub.Config;
using Hub.Functions;
using Hub.Routing;
using Microsoft.Extensions.Logging.Abstractions;

// What a user function costs on a formatted route (docs/python.md, "What the GIL costs"): the same message through the
// same format, written three ways, in one run: a plain format string, a C# script function (udf.csx) and a Python function
// (udf.py, pythonnet). One thread, then one per core (the route workers), where Python calls contend for the GIL.
// Usage: FunctionBench [MESSAGES (200000)] [OUTPUT (bench/functions-results.md)]
var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var output = args.Length > 1 ? args[1] : Path.Combine("bench", "functions-results.md");
var folder = Directory.CreateTempSubdirectory("hub-function-bench").FullName;
const string Format = "{room} is {value} at {_dthhmm}";
File.WriteAllText(Path.Combine(folder, "udf.py"), """
    def line(data, srv):
        return '{room} is {value} at {_dthhmm}'.format(**data)
    """);
File.WriteAllText(Path.Combine(folder, "udf.csx"), """
    object? Line(IDictionary<string, object?> data) =>
        string.Create(CultureInfo.InvariantCulture, $"{data["room"]} is {data["value"]} at {data["_dthhmm"]}");
    """);

var sections = $"[plain/#]\ntargets = log:info\nformat = {Format}\n";
var python = Load("udf.py", "[fn/#]\ntargets = log:info\nformat = line()\n" + sections);
var csharp = Load("udf.csx", "[fn/#]\ntargets = log:info\nformat = Line()\n");
var payload = Encoding.UTF8.GetBytes("""{"room": "hall", "value": 21.5}""");
var cores = Environment.ProcessorCount;

var runs = new List<(string Name, MessageRouter Router, string Topic)>
{
    ("plain format string", new MessageRouter(python, NullLogger.Instance, TimeProvider.System), "plain/x"),
    ("C# script function (udf.csx)", new MessageRouter(csharp, NullLogger.Instance, TimeProvider.System), "fn/x"),
    ("Python function (udf.py)", new MessageRouter(python, NullLogger.Instance, TimeProvider.System), "fn/x"),
};

// Same result three ways, or the comparison means nothing.
var expected = runs.Select(r => Assert(r.Router, r.Topic)).Distinct().ToList();
if (expected.Count != 1)
{
    throw new InvalidOperationException("the three routes render different messages: " + string.Join(" | ", expected));
}

var results = new List<(string Name, double OneThread, double AllCores)>();
foreach (var (name, router, topic) in runs)
{
    Measure(router, topic, messages / 4, cores);
    Measure(router, topic, messages / 4, 1);
    var one = Measure(router, topic, messages, 1);
    var all = Measure(router, topic, messages, cores);
    results.Add((name, one, all));
    Console.WriteLine($"{name}: {one:N0}/s on 1 thread, {all:N0}/s on {cores}");
}

var plain = results[0];
var report = new StringBuilder()
    .AppendLine("# User functions on a formatted route")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"`bench/functions.sh` ({DateTime.UtcNow:yyyy-MM-dd}, {cores} cores, {messages:N0} messages per run, .NET {Environment.Version}, Release).")
    .AppendLine(CultureInfo.InvariantCulture, $"One JSON message routed (filter, data, targets, render; no delivery) with the message `{expected[0]}`, made by the format")
    .AppendLine(CultureInfo.InvariantCulture, $"`{Format}` written three ways. Ratios are to the plain format string in the same run.")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"| Format | 1 thread (msg/s) | ratio | {cores} threads (msg/s) | ratio |")
    .AppendLine("|---|---:|---:|---:|---:|");
foreach (var (name, one, all) in results)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {one:N0} | {one / plain.OneThread:0.00} | {all:N0} | {all / plain.AllCores:0.00} |");
}

File.WriteAllText(output, report.ToString());
Console.WriteLine($"written to {output}");
Directory.Delete(folder, recursive: true);
return 0;

HubConfig Load(string functions, string routes)
{
    var ini = Path.Combine(folder, $"hub-{Path.GetExtension(functions)[1..]}.ini");
    File.WriteAllText(ini, $"[defaults]\nfunctions = {functions}\nlaunch = log\nroute_workers = {Environment.ProcessorCount}\n[config:log]\ntargets = {{'info': ['info']}}\n" + routes);
    var loaded = ConfigLoader.Load(ini);
    var config = loaded.Config ?? throw new InvalidOperationException(string.Join('\n', loaded.Errors));
    var errors = FunctionBinder.Bind(config, [], NullLoggerFactory.Instance, publisher: null);
    return errors.Count == 0 ? config : throw new InvalidOperationException(string.Join('\n', errors));
}

string Assert(MessageRouter router, string topic) => router.Route(topic, payload, false).Single().Items.Single().Item.Message;

double Measure(MessageRouter router, string topic, int count, int threads)
{
    var each = count / threads;
    var clock = Stopwatch.StartNew();
    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
    {
        for (var i = 0; i < each; i++)
        {
            router.Route(topic, payload, false);
        }
    });
    return each * threads / clock.Elapsed.TotalSeconds;
}
