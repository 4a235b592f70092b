using System.Globalization;

namespace Hub.Tests.Support;

/// <summary>Runs mosquitto_pub and mosquitto_sub against a <see cref="MosquittoBroker"/>, always with a timeout.</summary>
public static class MosquittoClients
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>mosquitto_pub -t topic -m message -q qos [extra…]; fails the test if it exits non-zero.</summary>
    public static async Task PublishAsync(MosquittoBroker broker, string topic, string message, int qos = 0, params string[] extraArguments)
    {
        var result = await ProcessRunner.RunAsync(
            "mosquitto_pub",
            ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-m", message, "-q", qos.ToString(CultureInfo.InvariantCulture), .. extraArguments],
            DefaultTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub failed: {result}");
        }
    }

    /// <summary>Starts mosquitto_sub -v on <paramref name="topic"/> and returns once its SUBACK arrived.</summary>
    public static Task<MosquittoSubscriber> SubscribeAsync(MosquittoBroker broker, string topic, int qos = 0, params string[] extraArguments) =>
        MosquittoSubscriber.StartAsync(
            ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-q", qos.ToString(CultureInfo.InvariantCulture), .. extraArguments],
            DefaultTimeout);
}
