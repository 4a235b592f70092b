using System.Buffers;
using ClientCompare;
using Hub.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

// The same minimal subscriber on Hub's own MQTT client.
var options = SubscriberArgs.Parse(args);
using var handler = new LineHandler(options.OutFile, options.Count);
var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
await using var client = new MqttClient(
    new MqttClientOptions { Host = "127.0.0.1", Port = options.Port, ClientId = options.ClientId, CleanSession = true },
    NullLogger.Instance)
{
    Subscriptions = [new MqttSubscription(SubscriberArgs.Topic, options.Qos)],
    MessageReceived = (message, _) =>
    {
        handler.Handle(new ReadOnlySequence<byte>(message.Payload));
        return ValueTask.CompletedTask;
    },
};
await client.StartAsync(CancellationToken.None);
var exitCode = await options.WaitAsync(handler);
await client.StopAsync(CancellationToken.None);
return exitCode;
