using Hub.Broker;
using Hub.Mqtt.Transport;
using Hub.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Hosting;

/// <summary>
/// The embedded broker (<c>[broker] enabled = True</c>) as the first hosted service: it listens before the hub's
/// own session connects and closes after the session has drained and disconnected.
/// </summary>
/// <param name="openAtStart">Accept connections as soon as the broker starts; otherwise only after <see cref="BrokerServer.OpenListeners"/>
/// (the ports are bound at start either way, so a taken port fails at once).</param>
internal sealed class EmbeddedBrokerService(BrokerOptions options, ILoggerFactory loggers, bool openAtStart = true) : IHostedService, IAsyncDisposable
{
    private BrokerServer? _server;

    /// <summary>The running broker (null before start and after stop).</summary>
    public BrokerServer? Server => _server;

    /// <summary>
    /// The hub client's transport to this broker without a socket. It may be made before the broker starts
    /// (the runtime is built first, so configuration errors come before anything binds); it connects once it runs.
    /// </summary>
    public IMqttTransport InProcessTransport() => new DeferredTransport(this);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _server = await BrokerServer.StartAsync(options, loggers, cancellationToken: cancellationToken, open: openAtStart).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or InvalidOperationException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new HostStartException($"cannot start the broker: {ex.Message}", ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class DeferredTransport(EmbeddedBrokerService service) : IMqttTransport
    {
        public string Endpoint => "in-process broker";

        public ValueTask<ITransportConnection> ConnectAsync(CancellationToken cancellationToken) =>
            service.Server is { } server
                ? server.CreateInProcessTransport().ConnectAsync(cancellationToken)
                : ValueTask.FromException<ITransportConnection>(new IOException("the embedded broker is not running"));
    }
}
