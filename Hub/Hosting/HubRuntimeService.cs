using Hub.Runtime;
using Microsoft.Extensions.Hosting;

namespace Hub.Hosting;

/// <summary>
/// The runtime as a hosted service: start runs the target workers, the scheduler, background plugins and then the
/// MQTT session; stop drains the queues within <c>shutdown_timeout</c> while the session still acknowledges, then
/// publishes <c>lwt_dead</c> and disconnects. One service, because acknowledgements need the session until the
/// queues have taken every message.
/// </summary>
internal sealed class HubRuntimeService(HubRuntime runtime) : IHostedService
{
    private int _started;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runtime.StartAsync().ConfigureAwait(false);
        Volatile.Write(ref _started, 1);
    }

    // The drain has its own deadline (shutdown_timeout); the host's token is not used to cut it short.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 0) == 1)
        {
            await runtime.ShutdownAsync().ConfigureAwait(false);
        }
    }
}
