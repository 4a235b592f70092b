using System.Net.Sockets;
using System.Text;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>syslog</c>: each message as a syslog record, severity from the priority, the
/// title as APP-NAME (ident). To a remote collector in RFC 5424 over UDP or TCP (octet counting,
/// RFC 6587), or, as mqttwarn does, to the local syslog socket.
/// </summary>
[Plugin("syslog", Description = "Send each message to syslog: a remote collector (RFC 5424, UDP or TCP) or the local socket")]
public sealed class SyslogSink(IPluginContext context, SyslogOptions options) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor) => SyslogTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => SyslogTarget.From(options, d), "syslog");

        var severity = SyslogCodes.Severity(item.Priority);
        var appName = item.Title.Length > 0 ? item.Title : options.AppName;
        var now = context.TimeProvider.GetUtcNow();
        try
        {
            if (target.Host is null)
            {
                var local = SyslogMessage.Local(target.Facility, severity, TimeZoneInfo.ConvertTime(now, context.TimeProvider.LocalTimeZone), appName,
                    target.IncludePid ? Environment.ProcessId : null, item.Message);
                await SendLocalAsync(local, cancellationToken);
            }
            else
            {
                var record = SyslogMessage.Rfc5424(target.Facility, severity, now, options.Hostname ?? Environment.MachineName, appName, Environment.ProcessId, item.Message);
                await (target.Tcp ? SendTcpAsync(target, record, cancellationToken) : SendUdpAsync(target, record, cancellationToken));
            }
        }
        catch (SocketException ex)
        {
            throw new TransientDeliveryException($"syslog: sending to the {Where(target)} failed: {ex.SocketErrorCode}");
        }
        catch (IOException ex)
        {
            throw new TransientDeliveryException($"syslog: sending to the {Where(target)} failed: {ex.Message}");
        }

        context.Logger.LogDebug("syslog: target {Target} sent to the {Where} (facility {Facility}, severity {Severity})", item.Target, Where(target), target.Facility, severity);
    }

    private static string Where(SyslogTarget target) => target.Host is null ? "local syslog socket" : target.Tcp ? "collector over TCP" : "collector over UDP";

    private async Task SendLocalAsync(byte[] record, CancellationToken cancellationToken)
    {
        if (!Path.Exists(options.Socket))
        {
            throw new PermanentDeliveryException($"syslog: there is no local syslog socket at {options.Socket} (set host for a remote collector)");
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        await socket.SendToAsync(record, SocketFlags.None, new UnixDomainSocketEndPoint(options.Socket), cancellationToken);
    }

    private static async Task SendUdpAsync(SyslogTarget target, byte[] record, CancellationToken cancellationToken)
    {
        using var udp = new UdpClient();
        await udp.SendAsync(record, target.Host, target.Port, cancellationToken);
    }

    /// <summary>RFC 6587 octet counting: <c>LENGTH SP RECORD</c>, so a record may hold line breaks.</summary>
    private static async Task SendTcpAsync(SyslogTarget target, byte[] record, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(target.Host!, target.Port, cancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{record.Length} "), cancellationToken);
        await stream.WriteAsync(record, cancellationToken);
        tcp.Client.Shutdown(SocketShutdown.Send);
    }
}
