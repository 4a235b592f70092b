using Hub.Pipeline;
using Hub.PluginHost;
using Hub.Plugins;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Graph;

/// <summary>What a command gives the graph builder besides the INI file: where plugins are, how they log and publish.</summary>
internal sealed record GraphEnvironment
{
    /// <summary><c>--plugins</c> directories; empty: <c>plugins =</c> of <c>[defaults]</c>, else the default directory.</summary>
    public IReadOnlyList<string> PluginDirectories { get; init; } = [];

    /// <summary>For the plugins' and functions' loggers (null logging for <c>hub check</c>).</summary>
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The broker connection plugins publish on; <see cref="OfflinePublisher"/> when the command has none.</summary>
    public IMessagePublisher Publisher { get; init; } = OfflinePublisher.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Kinds of step the graph adds to its routes besides the built-in ones (analytics, storage); none by default.</summary>
    public IReadOnlyList<IRouteStepKind> StepKinds { get; init; } = [];
}
