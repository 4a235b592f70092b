using System.Runtime.CompilerServices;

namespace Hub.Tests.Support;

/// <summary>
/// Points <c>$XDG_CACHE_HOME</c> of the test run (and of every hub process it starts) at a folder of its
/// own, so compiled <c>udf.csx</c> images of the tests never land in the user's <c>~/.cache/hub</c>.
/// </summary>
internal static class TestCacheDirectory
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hub-tests", $"cache-{Environment.ProcessId}");

    [ModuleInitializer]
    internal static void Use()
    {
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A hub process may still write there; the temp folder is cleaned by the OS.
            }
        };
    }
}
