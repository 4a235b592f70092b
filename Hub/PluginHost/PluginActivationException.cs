namespace Hub.PluginHost;

/// <summary>A plugin could not be instantiated; the message names the plugin and the reason.</summary>
public sealed class PluginActivationException(string message, Exception? inner = null) : Exception(message, inner);
