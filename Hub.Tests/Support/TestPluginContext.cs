using System.Collections.Concurrent;
using Hub.Formatting;
using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Support;

/// <summary>An <see cref="IPluginContext"/> for plugin unit tests: collects logs and publishes.</summary>
public sealed class TestPluginContext(IReadOnlyDictionary<string, object?>? options = null, string? configDirectory = null) : IPluginContext, IMessagePublisher
{
    public CollectingLogger Log { get; } = new();
    public ConcurrentQueue<(string Topic, byte[] Payload, int Qos, bool Retain)> Published { get; } = new();
    /// <summary>The MQTT 5.0 properties of each publish made with them (also listed in <see cref="Published"/>).</summary>
    public ConcurrentQueue<PublishProperties> PublishedProperties { get; } = new();

    public string ServiceName { get; init; } = "test";
    public IReadOnlyDictionary<string, object?> Options { get; } = options ?? new Dictionary<string, object?>();
    public string ConfigDirectory { get; } = configDirectory ?? Path.GetTempPath();
    public ILogger Logger => Log;
    public IMessagePublisher Publisher => this;
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
    public IDataFormatter Formatter => PyFormatter.Instance;
    public IStateStore State { get; init; } = new Hub.PluginHost.FileStateStore(Path.Combine(Path.GetTempPath(), "hub-tests", "state-" + Guid.NewGuid().ToString("N")[..8]));

    public HttpClient CreateHttpClient() => Hub.PluginHost.HubHttp.CreateClient();

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, CancellationToken cancellationToken)
    {
        Published.Enqueue((topic, payload.ToArray(), qos, retain));
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain, PublishProperties properties, CancellationToken cancellationToken)
    {
        PublishedProperties.Enqueue(properties);
        return PublishAsync(topic, payload, qos, retain, cancellationToken);
    }
}
