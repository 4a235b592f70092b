namespace Hub.Routing;

/// <summary>
/// Inputs the router refused or repaired, each also logged once with its reason: payloads that are not
/// valid UTF-8 (decoded with U+FFFD), notifications suppressed because the message is empty, format
/// strings and templated targets that failed on the message's data (the default is used), and user
/// functions that failed.
/// </summary>
public sealed class RouterCounters
{
    private long _invalidUtf8;
    private long _emptySuppressed;
    private long _formatFailures;
    private long _functionFailures;

    public long InvalidUtf8 => Interlocked.Read(ref _invalidUtf8);
    public long EmptySuppressed => Interlocked.Read(ref _emptySuppressed);
    public long FormatFailures => Interlocked.Read(ref _formatFailures);
    public long FunctionFailures => Interlocked.Read(ref _functionFailures);

    internal void OnInvalidUtf8() => Interlocked.Increment(ref _invalidUtf8);
    internal void OnEmptySuppressed() => Interlocked.Increment(ref _emptySuppressed);
    internal void OnFormatFailure() => Interlocked.Increment(ref _formatFailures);
    internal void OnFunctionFailure() => Interlocked.Increment(ref _functionFailures);
}
