using Hub.Runtime;
using Microsoft.Extensions.Hosting;

namespace Hub.Hosting;

/// <summary>
/// Runs the requested reloads (SIGHUP, the file watcher) one at a time. It starts after the runtime and stops
/// before it, so no reload overlaps the final drain.
/// </summary>
internal sealed class ReloadService(HubRuntime runtime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await runtime.ProcessReloadsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
