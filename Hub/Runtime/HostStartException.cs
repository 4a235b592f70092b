namespace Hub.Runtime;

/// <summary>A hosted service could not start (a port in use, a bad certificate); the message says which and why.</summary>
internal sealed class HostStartException(string message, Exception inner) : Exception(message, inner);
