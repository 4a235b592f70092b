using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace HelloPlugin;

/// <summary>
/// Appends "GREETING, MESSAGE!" to a file for each message: the smallest useful sink, with typed
/// options and one optional capability (creating the file's directory once, before the first message).
/// </summary>
[Plugin("hello", Description = "Greet each message in a file (the authoring-kit sample)")]
public sealed class HelloSink(IPluginContext context, HelloOptions options) : ISink, IAsyncInitializable
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

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var line = $"{options.Greeting}, {item.Message}!";
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
