using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace HelloPlugin;

/// <summary>Appends "GREETING, MESSAGE!" to a file for each message: the smallest useful sink.</summary>
[Plugin("hello", Description = "Greet each message in a file (the authoring-kit sample)")]
public sealed class HelloSink(IPluginContext context, HelloOptions options) : ISink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var line = $"{options.Greeting}, {item.Message}!";
        if (options.Shout)
        {
            line = line.ToUpperInvariant();
        }

        var path = Path.Combine(context.ConfigDirectory, options.Path);
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
