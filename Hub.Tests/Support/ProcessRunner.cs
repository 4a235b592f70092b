using System.Diagnostics;

namespace Hub.Tests.Support;

/// <summary>Runs a command to completion with a timeout; a process that overruns is killed and reported.</summary>
public static class ProcessRunner
{
    /// <param name="configure">Adjusts the start info (e.g. the environment) before the process starts.</param>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        configure?.Invoke(start);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}: {await stdout} {await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
