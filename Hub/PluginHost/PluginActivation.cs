using Hub.PluginHost.Options;

namespace Hub.PluginHost;

/// <summary>The result of activating a plugin: the instance (null when its options have errors) and every option problem.</summary>
public sealed record PluginActivation(object? Instance, IReadOnlyList<OptionDiagnostic> Diagnostics);
