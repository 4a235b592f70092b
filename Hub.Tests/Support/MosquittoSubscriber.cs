using System.Diagnostics;
using System.Threading.Channels;

namespace Hub.Tests.Support;

/// <summary>A running mosquitto_sub -v: each received message is a "topic payload" line in <see cref="ReadAsync"/>.</summary>
public sealed class MosquittoSubscriber : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MosquittoSubscriber(Process process) => _process = process;

    internal static async Task<MosquittoSubscriber> StartAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        // stdbuf: mosquitto_sub's debug lines are block-buffered on a pipe; we need the SUBACK line at once.
        var start = new ProcessStartInfo("stdbuf")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-oL", "mosquitto_sub", "-d", "-v", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start mosquitto_sub.");
        var subscriber = new MosquittoSubscriber(process);
        process.OutputDataReceived += (_, e) => subscriber.OnLine(e.Data);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await subscriber._subscribed.Task.WaitAsync(timeout);
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }

        return subscriber;
    }

    /// <summary>The next "topic payload" line, or <see cref="TimeoutException"/>.</summary>
    public async Task<string> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"mosquitto_sub received nothing within {timeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _messages.Writer.TryComplete();
            _subscribed.TrySetException(new InvalidOperationException("mosquitto_sub exited before SUBACK."));
            return;
        }

        if (line.StartsWith("Client ", StringComparison.Ordinal))
        {
            if (line.Contains("received SUBACK", StringComparison.Ordinal))
            {
                _subscribed.TrySetResult();
            }

            return;
        }

        if (!line.StartsWith("Subscribed (", StringComparison.Ordinal))
        {
            _messages.Writer.TryWrite(line);
        }
    }
}
