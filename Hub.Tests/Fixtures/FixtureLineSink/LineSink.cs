using System.Text;
using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureLineSink;

/// <summary>Appends each message as one line to the file named by option <c>path</c> (built as FixtureLineSinkV2: with "v2 " before it).</summary>
[Plugin("fixture_lines")]
public sealed class LineSink(IPluginContext context) : ISink
{
    private readonly string _path = Path.Combine(context.ConfigDirectory, (string)context.Options["path"]!);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
#if V2
        const string Version = "v2 ";
#else
        const string Version = "";
#endif
        await file.WriteAsync(Encoding.UTF8.GetBytes(Version + item.Message + "\n"), cancellationToken);
    }
}
