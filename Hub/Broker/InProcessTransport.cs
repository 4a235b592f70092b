using System.IO.Pipelines;
using Hub.Mqtt.Transport;

namespace Hub.Broker;

/// <summary>
/// Connects the hub's own MQTT client to the embedded broker without a socket: a pair of pipes, the broker
/// end served like any other connection (same CONNECT, same limits, same security).
/// </summary>
internal sealed class InProcessTransport(BrokerServer server) : IMqttTransport
{
    public string Endpoint => "in-process broker";

    public ValueTask<ITransportConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var toBroker = new Pipe();
        var toClient = new Pipe();
        server.Serve(new PipeTransportConnection(toBroker.Reader, toClient.Writer), "in-process");
        return ValueTask.FromResult<ITransportConnection>(new PipeTransportConnection(toClient.Reader, toBroker.Writer));
    }
}
