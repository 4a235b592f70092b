using Hub.Config;
using Hub.Graph;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Runtime;

/// <summary>
/// Runs the launched sources (<see cref="IMessageSource"/>) and scheduled jobs (<see cref="IScheduledJob"/>,
/// every <c>interval</c> seconds after the previous run ends, so runs never overlap) of one generation.
/// A failure is logged and the schedule goes on; a source that ends early is logged.
/// </summary>
internal sealed class BackgroundPlugins(ILogger logger, TimeProvider time)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];

    public void Start(IEnumerable<(ServiceConfig Service, object Instance)> instances, DefaultsOptions defaults)
    {
        foreach (var (service, instance) in instances)
        {
            if (instance is IMessageSource source)
            {
                _running.Add(Task.Run(() => RunSourceAsync(service.Name, source), CancellationToken.None));
            }

            if (instance is IScheduledJob job)
            {
                var timeout = ServiceSettings.Timeout(service, defaults);
                _running.Add(Task.Run(() => RunJobAsync(service.Name, job, ServiceSettings.Interval(service), timeout), CancellationToken.None));
            }
        }
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunSourceAsync(string name, IMessageSource source)
    {
        try
        {
            await source.RunAsync(_stopping.Token).ConfigureAwait(false);
            if (!_stopping.IsCancellationRequested)
            {
                logger.LogWarning("Source {Service} stopped on its own", name);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            logger.LogError(ex, "Source {Service} failed: {Reason}", name, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task RunJobAsync(string name, IScheduledJob job, TimeSpan interval, TimeSpan timeout)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, _stopping.Token).ConfigureAwait(false);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                attempt.CancelAfter(timeout);
                try
                {
                    await Task.Run(() => job.ExecuteAsync(attempt.Token).AsTask(), CancellationToken.None).WaitAsync(attempt.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    var reason = ex is OperationCanceledException ? $"timed out after {timeout.TotalSeconds:0.###} s" : ex.Message;
                    logger.LogWarning("Scheduled job {Service} failed: {Reason}", name, reason);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
