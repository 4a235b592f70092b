namespace Hub.Plugins.Notify;

/// <summary>
/// Options of the <c>log</c> plugin: none. Everything is in the target (the level); the log
/// destination and format are the hub's (<c>logfile</c>, <c>logformat</c> in <c>[defaults]</c>).
/// </summary>
public sealed class LogSinkOptions;
