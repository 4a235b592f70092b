namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>irccat</c> plugin: none; everything is in the target (host, port, channel).</summary>
public sealed class IrccatOptions;
