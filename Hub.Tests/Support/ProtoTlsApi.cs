using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Support;

/// <summary>
/// A real HTTPS server (Kestrel on 127.0.0.1, a free port) with a certificate from its own test CA
/// (<see cref="CaPath"/>, for 127.0.0.1 and localhost): it records each request's method and path
/// and answers every one with the same JSON. For plugins whose TLS trust settings need a test
/// (a private CA, insecure). Not for scripting answers: see <see cref="FakeHttpApi"/>.
/// </summary>
public sealed class ProtoTlsApi : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly TempDirectory _directory = new();
    private WebApplication? _app;

    private ProtoTlsApi()
    {
    }

    public int Port { get; private set; }

    /// <summary>The PEM file of the CA that signed the server's certificate.</summary>
    public string CaPath { get; private set; } = "";

    /// <summary>"METHOD /path" of every request that got through the TLS handshake.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<ProtoTlsApi> StartAsync(string answer)
    {
        var api = new ProtoTlsApi();
        var ca = await TestCertificates.CreateCaAsync(api._directory.Path, "Proto TLS CA");
        var issued = await TestCertificates.IssueAsync(ca, api._directory.Path, "localhost", "DNS:localhost", "IP:127.0.0.1");
        api.CaPath = ca.CertPath;
        using var pem = X509Certificate2.CreateFromPemFile(issued.CertPath, issued.KeyPath);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(async http =>
        {
            api._requests.Enqueue($"{http.Request.Method} {http.Request.Path}");
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(answer, http.RequestAborted);
        });
        await app.StartAsync();
        api._app = app;
        api.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _directory.Dispose();
    }
}
