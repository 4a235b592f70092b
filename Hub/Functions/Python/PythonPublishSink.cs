using System.Text;
using Microsoft.Extensions.Logging;

namespace Hub.Functions.Python;

/// <summary>
/// Where <c>srv.mqttc.publish(topic, payload, qos, retain)</c> goes: the hub's own MQTT client, in the background
/// (a failure is logged; under <c>hub test</c> nothing is sent). Called from Python with the GIL held.
/// </summary>
public sealed class PythonPublishSink
{
    private readonly FunctionServices _services;
    private readonly ILogger _logger;

    internal PythonPublishSink(FunctionServices services, ILogger logger)
    {
        _services = services;
        _logger = logger;
    }

    /// <summary>Publishes one message.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload: text, or the bytes as hexadecimal when <paramref name="binary"/>.</param>
    /// <param name="binary">True when <paramref name="payload"/> holds bytes as hexadecimal.</param>
    /// <param name="qos">0, 1 or 2.</param>
    /// <param name="retain">The retain flag.</param>
    public void Publish(string topic, string payload, bool binary, int qos, bool retain) =>
        _services.Publish(topic, binary ? Convert.FromHexString(payload) : Encoding.UTF8.GetBytes(payload), Math.Clamp(qos, 0, 2), retain, _logger);
}
