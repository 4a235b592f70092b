using Hub.Diagnostics;
using Hub.Runtime;
using Hub.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hub.Hosting;

/// <summary>
/// Composes <c>hub run</c> on the .NET Generic Host. Hosted services start in this order and stop in reverse:
/// the embedded broker, the web endpoint (<c>[web]</c>), the runtime (target workers, scheduler, background
/// plugins, then the MQTT session), reloads, signals. So the broker listens before the session connects and
/// outlives its drain, and <c>/ready</c> answers until the queues are drained. Under systemd (<c>Type=notify</c>)
/// the host reports ready once every service started.
/// </summary>
internal static class HubHost
{
    /// <param name="signals">Handle SIGTERM/SIGINT (stop) and SIGHUP (reload): on for <c>hub run</c>, off for hosts inside tests.</param>
    public static IHost Build(HubRuntime runtime, EmbeddedBrokerService? broker, ILoggerFactory loggers, bool signals = true, TimeProvider? time = null)
    {
        var builder = new HostBuilder().UseSystemd();
        builder.ConfigureServices(services =>
        {
            // The hub's own logging (format, loglevel, logfile) for the host and Kestrel too.
            services.AddSingleton(loggers);
            services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            // The runtime's drain has its own deadline, shutdown_timeout (which a reload may change).
            services.Configure<HostOptions>(o => o.ShutdownTimeout = Timeout.InfiniteTimeSpan);
            services.AddSingleton(runtime);
            services.AddSingleton(new HubObserver(runtime, () => broker?.Server?.Engine.Statistics, time ?? TimeProvider.System));
            services.AddSingleton<HubMetrics>();
            if (broker is not null)
            {
                services.AddHostedService(_ => broker);
            }
        });
        if (runtime.Config.Web is { } web)
        {
            builder.ConfigureServices(services => services.AddSingleton<MetricsExport>());
            builder.ConfigureWebHost(w => WebEndpoint.Configure(w, web));
            builder.ConfigureServices(services => services.AddHostedService<WebAnnouncer>());
        }

        builder.ConfigureServices(services =>
        {
            services.AddHostedService<HubRuntimeService>();
            services.AddHostedService<ReloadService>();
            if (signals)
            {
                services.AddHostedService<SignalService>();
            }
        });
        return builder.Build();
    }
}
