using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace HelloPlugin;

/// <summary>
/// Appends "GREETING, MESSAGE!" (or "GREETING NAME, MESSAGE!" for a target <c>['NAME']</c>) to a file for each
/// message: the smallest useful sink, with typed options and two optional capabilities (binding each target once,
/// and creating the file's directory once, before the first message).
/// </summary>
[Plugin("hello", Description = "Greet each message in a file (the authoring-kit sample)")]
public sealed class HelloSink(IPluginContext context, HelloOptions options) : ISink, ITargetBinder, IAsyncInitializable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string FilePath => Path.Combine(context.ConfigDirectory, options.Path);

    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(FilePath) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Once per target, at start-up: no target, or <c>[]</c>, greets everyone; <c>['NAME']</c> greets NAME.</summary>
    public object BindTarget(string? targetName, object? descriptor) => descriptor switch
    {
        null or IReadOnlyList<object?> { Count: 0 } => $"{options.Greeting}, ",
        IReadOnlyList<object?> { Count: 1 } list when list[0] is string name => $"{options.Greeting} {name}, ",
        _ => throw new FormatException("the target must be [] or ['NAME']"),
    };

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        // The host hands back what BindTarget made of this target; only a direct call (a unit test) comes without it.
        var prefix = (string?)item.Bound ?? (string)BindTarget(item.Target, item.Addrs);
        var line = $"{prefix}{item.Message}!";
        if (options.Shout)
        {
            line = line.ToUpperInvariant();
        }

        var path = FilePath;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await File.AppendAllTextAsync(path, line + "\n", cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        context.Logger.LogDebug("Greeted {Topic} in {Path}", item.Topic, path);
    }
}
