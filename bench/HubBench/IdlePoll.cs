using System.Diagnostics;
using System.Globalization;

namespace HubBench;

/// <summary>One busy-loop process per CPU at SCHED_IDLE priority (chrt -i 0), pinned (taskset): idle CPUs never halt.</summary>
internal sealed class IdlePoll : IDisposable
{
    private readonly List<Process> _spinners;

    private IdlePoll(List<Process> spinners) => _spinners = spinners;

    public static IdlePoll Start() => new([.. Enumerable.Range(0, Environment.ProcessorCount).Select(cpu =>
        Process.Start(new ProcessStartInfo("chrt", ["-i", "0", "taskset", "-c", cpu.ToString(CultureInfo.InvariantCulture), "sh", "-c", "while :; do :; done"]))!)]);

    public void Dispose()
    {
        foreach (var spinner in _spinners)
        {
            spinner.Kill();
            spinner.WaitForExit();
            spinner.Dispose();
        }
    }
}
