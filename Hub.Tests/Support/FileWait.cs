namespace Hub.Tests.Support;

/// <summary>Waits for a file written by another process to reach a condition, with a timeout (polls on file-system events).</summary>
public static class FileWait
{
    public static async Task<string> UntilAsync(string path, Func<string, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        var content = "";
        while (true)
        {
            content = File.Exists(path) ? ReadShared(path) : "";
            if (condition(content))
            {
                return content;
            }

            try
            {
                // The event is the signal; the short bound only covers events the watcher may coalesce.
                await changed.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{path} did not reach the expected content within {timeout}. Content:\n{content}");
            }
        }
    }

    public static Task<string> LinesAsync(string path, int count, TimeSpan timeout) =>
        UntilAsync(path, c => c.Count(ch => ch == '\n') >= count, timeout);

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
