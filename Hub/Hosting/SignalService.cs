using System.Runtime.InteropServices;
using Hub.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Hosting;

/// <summary>
/// SIGTERM and SIGINT stop the host (logged as before; the host's own lifetime, console or systemd, reacts too);
/// SIGHUP asks the runtime for a reload, also under systemd (<c>ExecReload=kill -HUP $MAINPID</c>).
/// </summary>
internal sealed class SignalService(HubRuntime runtime, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger("hub");
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _registrations.Clear();
        return Task.CompletedTask;
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _logger.LogInformation("Received {Signal}, shutting down", context.Signal);
        lifetime.StopApplication();
    }

    private void Reload(PosixSignalContext context)
    {
        context.Cancel = true;
        runtime.RequestReload("SIGHUP");
    }
}
