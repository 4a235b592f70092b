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

    /// <summary>Runs a send that must fail and returns its exception.</summary>
    public static Task<Exception> FailureOf(ISink sink, DeliveryItem item) =>
        Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(item, CancellationToken.None).AsTask());
}
