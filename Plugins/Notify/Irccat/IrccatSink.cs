using System.Net.Sockets;
using System.Text;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>irccat</c>: sends each message to an irccat bot over TCP, one
/// <c>#channel text</c> line per message line, coloured green (priority 1) or red (priority 2)
/// with irccat's <c>%GREEN</c>/<c>%RED</c> codes.
/// </summary>
[Plugin("irccat", Description = "Send each message to an IRC channel through an irccat bot (TCP)")]
public sealed class IrccatSink : ISink, ITargetBinder
{
    private const string Shape = "the target must be [host, port, channel], e.g. ['127.0.0.1', 12345, '#ops']";
    private readonly IPluginContext _context;

    /// <summary>Takes its options class, though it is empty, so that the host warns about any key in <c>[config:NAME]</c>.</summary>
    public IrccatSink(IPluginContext context, IrccatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
    }

    public object BindTarget(string? targetName, object? descriptor) => Parse(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var (host, port, channel) = Descriptor.Bound(item, d => Parse(d) ?? throw new FormatException(Shape), "irccat");
        var text = Lines(channel, item.Priority, item.Message);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, cancellationToken);
            await tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException ex)
        {
            throw new TransientDeliveryException($"irccat: sending to the bot failed: {ex.SocketErrorCode}");
        }
        catch (IOException ex)
        {
            throw new TransientDeliveryException($"irccat: sending to the bot failed: {ex.Message}");
        }

        _context.Logger.LogDebug("irccat: sent to {Channel}", channel);
    }

    /// <summary>irccat's colour code for a priority, as mqttwarn chooses it: 1 green, 2 red, else none.</summary>
    public static string Colour(int priority) => priority switch
    {
        1 => "%GREEN",
        2 => "%RED",
        _ => "",
    };

    /// <summary>
    /// One <c>#channel %COLOURtext\n</c> line per line of the message (irccat reads a line per
    /// command, so each line names the channel again); empty lines are left out.
    /// </summary>
    public static string Lines(string channel, int priority, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var builder = new StringBuilder();
        foreach (var line in message.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
        {
            builder.Append(channel).Append(' ').Append(Colour(priority)).Append(line).Append('\n');
        }

        return builder.ToString();
    }

    private static (string Host, int Port, string Channel)? Parse(object? descriptor)
    {
        if (descriptor is not IReadOnlyList<object?> { Count: 3 } list
            || list[0] is not string { Length: > 0 } host
            || list[2] is not string { Length: > 0 } channel || channel.Any(char.IsWhiteSpace))
        {
            return null;
        }

        try
        {
            var port = OptionValues.ToInt(list[1], "port");
            return port is >= 1 and <= 65535 ? (host, port, channel) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
