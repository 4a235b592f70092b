using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Web;

/// <summary>Logs where the web endpoint listens (the port picked, when <c>listen</c> gave 0), once Kestrel runs.</summary>
internal sealed class WebAnnouncer(IServer server, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        loggers.CreateLogger("hub.web").LogInformation("Web endpoint listening on {Addresses}", string.Join(", ", addresses));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
