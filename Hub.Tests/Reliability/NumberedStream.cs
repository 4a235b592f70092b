using System.Globalization;
using System.Text;
using Hub.Mqtt;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Publishes numbered QoS 1 messages (<c>m000042</c>) with the hub's own MQTT client, pipelined, each
/// publish awaiting its PUBACK: once <see cref="PublishAsync"/> returns, the broker has every message.
/// </summary>
public static class NumberedStream
{
    public static string Id(int number) => "m" + number.ToString("D6", CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Ids(int from, int count) => [.. Enumerable.Range(from, count).Select(Id)];

    /// <summary>Publishes message numbers [from, from + count) to the topic <paramref name="topicOf"/> names for each, each id followed by <paramref name="padding"/> bytes.</summary>
    public static async Task PublishAsync(MosquittoBroker broker, string clientId, int from, int count, Func<int, string> topicOf, TimeSpan timeout, int qos = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(topicOf);
        using var cts = new CancellationTokenSource(timeout);
        await using var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ClientId = clientId }, NullLogger.Instance);
        await client.ConnectOnceAsync(cts.Token);
        var pending = new List<Task>(count);
        for (var n = from; n < from + count; n++)
        {
            pending.Add(client.PublishAsync(new MqttApplicationMessage(topicOf(n), Encoding.UTF8.GetBytes(Id(n) + new string('x', padding)), qos), cts.Token).AsTask());
        }

        await Task.WhenAll(pending).WaitAsync(cts.Token);
        await client.StopAsync(cts.Token);
    }

    /// <summary>Every id (<c>m</c> and six digits) in <paramref name="text"/>, in order, repeats included; fragments of a torn write are not ids.</summary>
    public static IEnumerable<string> IdsIn(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"m\d{6}").Select(m => m.Value);
}
