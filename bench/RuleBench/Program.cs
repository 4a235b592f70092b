using System.Globalization;
using RuleBench;

// The rules' figures (docs/rules.md): evaluations per second on one thread (a threshold rule with hysteresis; the
// anomaly detector), memory per key (100,000 keys with the anomaly detector), and the detection benchmark on
// generated series. Usage: RuleBench [speed|memory|detect|all] [EVALUATIONS (5000000)] [KEYS (100000)]
var mode = args.Length > 0 ? args[0] : "all";
var evaluations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000_000;
var keys = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
if (mode is "speed" or "all")
{
    Speed.Run(evaluations);
}

if (mode is "memory" or "all")
{
    Memory.Run(keys);
}

if (mode is "detect" or "all")
{
    Detection.Run();
}
