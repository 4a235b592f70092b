namespace Hub.Tests.Support;

/// <summary>
/// Waits for a condition that no event announces (a counter another thread bumps, a process leaving
/// /proc), checking it every few milliseconds until it holds or the deadline passes. It never waits for
/// time to pass: it returns as soon as the condition holds, and fails the test at the deadline.
/// </summary>
public static class Condition
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(5);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(CheckEvery, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what ?? "the condition"} did not hold within {timeout}");
            }
        }
    }

    /// <summary>As above, for a condition that has to ask something (an HTTP API) to know.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(CheckEvery, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{what ?? "the condition"} did not hold within {timeout}");
            }
        }
    }
}
