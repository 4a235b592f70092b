using System.Text;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>
/// A plugin instance's state: one file per key in its own directory, replaced atomically
/// (write to a temporary file, then rename), so a crash never leaves half a value.
/// </summary>
public sealed class FileStateStore(string directory) : IStateStore
{
    public string Directory { get; } = directory;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(key);
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await stream.WriteAsync(value, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(key));
        return ValueTask.CompletedTask;
    }

    // Keys are arbitrary text: hex-encode them so every key is a safe, distinct file name.
    private string PathOf(string key) => Path.Combine(Directory, Convert.ToHexString(Encoding.UTF8.GetBytes(key)) + ".state");
}
