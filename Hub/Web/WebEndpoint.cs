using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hub.Config;
using Hub.Config.Values;
using Hub.Diagnostics;
using Hub.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Hub.Web;

/// <summary>
/// Kestrel on the hub's host (<c>[web]</c>): <c>/metrics</c> (Prometheus text, from the <c>Hub</c> meter through
/// prometheus-net), <c>/healthz</c>, <c>/ready</c> and <c>/api/status</c>, behind the bearer token when one is set.
/// </summary>
internal static class WebEndpoint
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Configure(IWebHostBuilder web, WebOptions options)
    {
        web.UseKestrel(kestrel =>
        {
            var certificate = options.IsTls ? LoadCertificate(options) : null;
            foreach (var address in WebAddress.Resolve(options.Host))
            {
                kestrel.Listen(address, options.Port, listen =>
                {
                    if (certificate is not null)
                    {
                        listen.UseHttps(certificate);
                    }
                });
            }
        });
        web.ConfigureServices(services => services.AddRouting());
        web.Configure(app => Pipeline(app, options));
    }

    private static void Pipeline(IApplicationBuilder app, WebOptions options)
    {
        var hub = app.ApplicationServices.GetRequiredService<HubObserver>();
        var registry = app.ApplicationServices.GetRequiredService<MetricsExport>().Registry;
        if (options.AuthToken is { } token)
        {
            var check = new BearerToken(token, hub, app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("hub.web"));
            app.Use(next => context => check.InvokeAsync(context, next));
        }

        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapMetrics("/metrics", registry);
            endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
            endpoints.MapGet("/ready", () =>
            {
                var reasons = hub.NotReadyReasons();
                return Results.Json(StatusReport.Ready(reasons), Json, statusCode: reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            });
            endpoints.MapGet("/api/status", () => Results.Json(StatusReport.Status(hub), Json));
            HistoryApi.Map(endpoints, hub, Json);
            AlarmsApi.Map(endpoints, hub);
        });
    }

    private static X509Certificate2 LoadCertificate(WebOptions options)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.CertFile!, options.KeyFile);
            // SslStream on Linux wants a certificate whose key is not ephemeral.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new HostStartException($"cannot start the web endpoint: cannot read {options.CertFile} / {options.KeyFile}: {ex.Message}", ex);
        }
    }
}
