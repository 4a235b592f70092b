using System.Globalization;

namespace Hub.Tests.Support;

/// <summary>
/// A real file system of a few bytes for tests of a full disk: a tmpfs mounted with <c>size=</c> on a directory, so the
/// kernel answers ENOSPC as a full disk does. Mounting needs root, which CI has (a fresh Debian machine, tests as root);
/// elsewhere it fails with a message saying so. Unmounted (lazily, should a process still hold a file there) on dispose.
/// </summary>
public sealed class SmallFileSystem : IAsyncDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallFileSystem> MountAsync(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        var result = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={bytes},mode=0700"), "tmpfs", path], TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mounting a {bytes}-byte tmpfs on {path} failed (this test needs root, as in CI): {result.StandardError}");
        }

        return new SmallFileSystem(path);
    }

    public async ValueTask DisposeAsync() => await ProcessRunner.RunAsync("umount", ["-l", Path], TimeSpan.FromSeconds(30));
}
