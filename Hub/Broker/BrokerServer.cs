using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hub.Broker.Security;
using Hub.Mqtt.Transport;
using Microsoft.Extensions.Logging;

namespace Hub.Broker;

/// <summary>The embedded broker as a running service: engine, listeners, persistence, <c>$SYS</c> statistics.</summary>
internal sealed class BrokerServer : IAsyncDisposable
{
    private readonly List<BrokerListener> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _inProcess = [];
    private BrokerPersistence? _persistence;
    private SysTopicPublisher? _sys;
    private int _opened;

    private BrokerServer(BrokerEngine engine) => Engine = engine;

    public BrokerEngine Engine { get; }

    /// <summary>Where the plain TCP listeners are bound (a port given as 0 shows the port picked).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => [.. _listeners.Where(l => !l.IsTls).Select(l => l.Endpoint)];

    public IReadOnlyList<IPEndPoint> TlsEndpoints => [.. _listeners.Where(l => l.IsTls).Select(l => l.Endpoint)];

    /// <summary>
    /// Starts the broker: restores persisted state, binds every listener (a bind failure stops and throws) and, unless
    /// <paramref name="open"/> is false, opens them. <c>hub run</c> opens them with <see cref="OpenListeners"/> only once the
    /// hub's own client has subscribed, so no device can publish before the routes listen.
    /// </summary>
    public static async Task<BrokerServer> StartAsync(BrokerOptions options, ILoggerFactory loggers, TimeProvider? time = null, IBrokerSecurity? security = null, CancellationToken cancellationToken = default, bool open = true)
    {
        var logger = loggers.CreateLogger("hub.broker");
        var engine = new BrokerEngine(options, logger, time, security ?? BrokerSecurityFactory.Create(options));
        var server = new BrokerServer(engine);
        try
        {
            if (options.Persistence && options.PersistenceDirectory is not null)
            {
                server._persistence = new BrokerPersistence(engine, options.PersistenceDirectory);
                server._persistence.Load();
                server._persistence.Start();
            }

            await server.BindAsync(options.Listen, null, cancellationToken).ConfigureAwait(false);
            if (options.TlsListen.Count > 0)
            {
                var certificate = X509Certificate2.CreateFromPemFile(options.CertFile!, options.KeyFile);
                // SslStream on Linux wants a certificate whose key is not ephemeral.
                certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
                await server.BindAsync(options.TlsListen, certificate, cancellationToken).ConfigureAwait(false);
            }

            if (options.SysInterval > TimeSpan.Zero)
            {
                server._sys = new SysTopicPublisher(engine, options.SysInterval);
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (open)
        {
            server.OpenListeners();
        }

        return server;
    }

    /// <summary>Where the listeners are bound, as logged (<c>tls</c> before a TLS one).</summary>
    public string ListenerText => string.Join(", ", _listeners.Select(l => (l.IsTls ? "tls " : "") + l.Endpoint));

    /// <summary>Starts accepting connections on every listener (once; later calls do nothing).</summary>
    public void OpenListeners()
    {
        if (Interlocked.Exchange(ref _opened, 1) == 0)
        {
            foreach (var listener in _listeners)
            {
                listener.Open();
            }

            Engine.Logger.LogInformation("Broker listening on {Endpoints}", ListenerText);
        }
    }

    /// <summary>A transport for an MQTT client in this process: no socket, the connection is served like any other.</summary>
    public IMqttTransport CreateInProcessTransport() => new InProcessTransport(this);

    /// <summary>Serves one connection that did not come through a listener (the in-process pipe).</summary>
    public void Serve(ITransportConnection connection, string remote)
    {
        var task = Engine.RunConnectionAsync(connection, remote, _stopping.Token);
        lock (_inProcess)
        {
            _inProcess.Add(task);
        }

        _ = task.ContinueWith(t => { lock (_inProcess) { _inProcess.Remove(t); } }, TaskScheduler.Default);
    }

    private async Task BindAsync(IReadOnlyList<string> endpoints, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        foreach (var text in endpoints)
        {
            if (!BrokerEndpoint.TryParse(text, out var host, out var port))
            {
                throw new InvalidOperationException($"Broker listen address '{text}' is not HOST:PORT.");
            }

            foreach (var address in await BrokerEndpoint.ResolveAsync(host, cancellationToken).ConfigureAwait(false))
            {
                _listeners.Add(BrokerListener.Bind(new IPEndPoint(address, port), Engine, certificate));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _sys?.Dispose();
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] open;
        lock (_inProcess)
        {
            open = [.. _inProcess];
        }

        try
        {
            await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        if (_persistence is not null)
        {
            await _persistence.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
