using Microsoft.Extensions.Logging;

namespace Hub.Plugins;

/// <summary>
/// What the host gives a plugin instance: its logger, a publisher, the clock, a state store and HTTP
/// clients. The plugin's public constructor may take it, its options class, both, or nothing:
/// <c>public MySink(IPluginContext context, MySinkOptions options)</c>. The options class is bound
/// from <c>[config:NAME]</c> (see <see cref="OptionAttribute"/>) before the constructor runs.
/// </summary>
public interface IPluginContext
{
    /// <summary>The instance name: the <c>NAME</c> of <c>[config:NAME]</c>.</summary>
    string ServiceName { get; }

    /// <summary>
    /// The instance's raw options: every key of <c>[config:NAME]</c> except <c>targets</c> and
    /// <c>module</c>, as parsed values (see <see cref="DeliveryItem.Data"/> for the value types).
    /// Prefer a typed options class in the constructor: it is converted and validated for you.
    /// </summary>
    IReadOnlyDictionary<string, object?> Options { get; }

    /// <summary>The directory of the configuration file; relative paths in options resolve against it.</summary>
    string ConfigDirectory { get; }

    /// <summary>A logger named after the plugin instance.</summary>
    ILogger Logger { get; }

    /// <summary>Publishes on the hub's broker connection.</summary>
    IMessagePublisher Publisher { get; }

    /// <summary>The clock. Use it instead of <see cref="DateTime.Now"/> so tests control time.</summary>
    TimeProvider TimeProvider { get; }

    /// <summary>Formats <c>str.format</c> strings with transformation data.</summary>
    IDataFormatter Formatter { get; }

    /// <summary>This instance's persistent key-value store.</summary>
    IStateStore State { get; }

    /// <summary>
    /// An <see cref="HttpClient"/> managed by the host (connection pooling, DNS refresh, the hub's
    /// User-Agent). Do not dispose it; ask again whenever you need one.
    /// </summary>
    HttpClient CreateHttpClient();
}
