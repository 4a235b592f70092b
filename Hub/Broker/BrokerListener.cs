using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>One bound TCP socket (optionally TLS) feeding accepted connections to the engine.</summary>
internal sealed class BrokerListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly BrokerEngine _engine;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _connections = [];
    private Task? _accepting;

    private BrokerListener(Socket socket, BrokerEngine engine, X509Certificate2? certificate)
    {
        _socket = socket;
        _engine = engine;
        _certificate = certificate;
    }

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public bool IsTls => _certificate is not null;

    public static BrokerListener Bind(IPEndPoint endpoint, BrokerEngine engine, X509Certificate2? certificate)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = endpoint.Address.Equals(IPAddress.IPv6Any);
            }

            socket.Bind(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new BrokerListener(socket, engine, certificate);
    }

    /// <summary>Starts accepting connections. Until then the port is taken but refuses connections (a client sees a closed port).</summary>
    public void Open()
    {
        if (_accepting is null)
        {
            _socket.Listen(512);
            _accepting = AcceptLoopAsync();
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _engine.Logger.LogWarning("Accepting a connection on {Endpoint} failed: {Error}", Endpoint, ex.Message);
                continue;
            }

            client.NoDelay = true;
            var task = ServeAsync(client, token);
            lock (_connections)
            {
                _connections.Add(task);
            }

            _ = task.ContinueWith(t => { lock (_connections) { _connections.Remove(t); } }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken token)
    {
        var remote = client.RemoteEndPoint?.ToString() ?? "?";
        // The place among max_connections is taken before a TLS handshake: a flood of unfinished handshakes counts too.
        if (!_engine.TryAdmit(remote))
        {
            client.Dispose();
            return;
        }

        Stream stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(token);
                handshake.CancelAfter(_engine.Options.ConnectTimeout);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, handshake.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            _engine.Release();
            _engine.Statistics.Refused();
            _engine.Statistics.ConnectionClosed(BrokerCloseReason.TlsHandshakeFailed);
            _engine.Logger.LogInformation("TLS handshake with {Remote} failed: {Error}", remote, ex.Message);
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await _engine.RunAdmittedAsync(new StreamTransportConnection(stream), remote, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _engine.Logger.LogWarning(ex, "Connection from {Remote} failed", remote);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        try
        {
            await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _engine.Logger.LogWarning("{Count} connections on {Endpoint} did not close within 10 s", open.Length, Endpoint);
        }

        _stopping.Dispose();
    }
}
