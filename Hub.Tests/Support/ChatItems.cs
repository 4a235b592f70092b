using System.Net;
using System.Net.Sockets;
using System.Text;
using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Builders shared by the chat-service notifier tests (discord, matrix, zulip, …).</summary>
public static class ChatItems
{
    /// <summary>A prepared item as the host hands it to a notifier.</summary>
    public static DeliveryItem Item(string service, string message, object? descriptor, string title = "", int priority = 0,
        IReadOnlyDictionary<string, object?>? data = null, string topic = "t/1") => new()
    {
        Service = service,
        Section = topic,
        Target = "t",
        Addrs = descriptor,
        Topic = topic,
        Payload = Encoding.UTF8.GetBytes(message),
        Data = data ?? new Dictionary<string, object?>(),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
        Priority = priority,
    };

    /// <summary>A loopback base URL where nothing listens (a port taken from the OS and released), for connection failures.</summary>
    public static string ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>Runs a send that must fail and returns its exception.</summary>
    public static Task<Exception> FailureOf(ISink sink, DeliveryItem item) =>
        Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(item, CancellationToken.None).AsTask());
}
