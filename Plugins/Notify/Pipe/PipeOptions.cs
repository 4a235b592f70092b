namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>pipe</c> plugin: none; everything is in the target (the program and its arguments).</summary>
public sealed class PipeOptions;
