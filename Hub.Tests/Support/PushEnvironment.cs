namespace Hub.Tests.Support;

/// <summary>
/// Sets environment variables for one test and restores them on dispose. The environment is
/// process-wide: test classes that use this join the <c>PushEnvironment</c> collection, so they never run in parallel with each other.
/// </summary>
public sealed class PushEnvironment : IDisposable
{
    private readonly List<(string Name, string? Value)> _saved = [];

    public PushEnvironment(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
