using ClientCompare;
using MQTTnet;
using MQTTnet.Protocol;

// A minimal subscriber on MQTTnet: subscribe, hand each message to the shared handler, exit after COUNT messages.
var options = SubscriberArgs.Parse(args);
using var handler = new LineHandler(options.OutFile, options.Count);
using var client = new MqttClientFactory().CreateMqttClient();
client.ApplicationMessageReceivedAsync += e =>
{
    handler.Handle(e.ApplicationMessage.Payload);
    return Task.CompletedTask;
};

await client.ConnectAsync(new MqttClientOptionsBuilder()
    .WithTcpServer("127.0.0.1", options.Port)
    .WithClientId(options.ClientId)
    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
    .WithCleanSession()
    .Build());
await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
    .WithTopicFilter(SubscriberArgs.Topic, (MqttQualityOfServiceLevel)options.Qos)
    .Build());
var exitCode = await options.WaitAsync(handler);
await client.DisconnectAsync();
return exitCode;
