using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Functions;

/// <summary>
/// Compiled <c>udf.csx</c> images on disk, so that <c>hub check</c>, <c>hub test</c>, <c>hub notify</c> and
/// every start do not compile an unchanged script again. An entry is keyed by the SHA-256 of the script's
/// text and <see cref="ScriptCompiler.Inputs"/> (the hub's build, Roslyn, the reference set), not its path
/// (a copied configuration reuses the entry; messages take the file name at load), and
/// is two files: <c>KEY.dll</c> and <c>KEY.txt</c> (the entry point, the functions with their lines, and the
/// image's own SHA-256). Anything unreadable, truncated or inconsistent is a miss: the script is compiled
/// again and the entry rewritten. Writes go through a temporary file and a rename, so concurrent hubs
/// never read half an entry. Entries unused for <see cref="MaxAge"/> are deleted when a new one is written.
/// </summary>
internal sealed class ScriptCache(string directory)
{
    private const string Header = "hub-udf-cache 1";
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>The folder holding the entries.</summary>
    public string Directory { get; } = directory;

    /// <summary><c>$XDG_CACHE_HOME/hub/scripts</c>, else <c>~/.cache/hub/scripts</c>; null without a home directory.</summary>
    public static ScriptCache? Default()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root) || !Path.IsPathRooted(root))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            root = Path.Combine(home, ".cache");
        }

        return new ScriptCache(Path.Combine(root, "hub", "scripts"));
    }

    /// <summary>The entry's key: what the compiled image depends on, hashed.</summary>
    public static string Key(string code, IEnumerable<string> inputs)
    {
        var text = new StringBuilder(Header).Append('\0').Append(code);
        foreach (var input in inputs)
        {
            text.Append('\0').Append(input);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The image and its description, or null when there is no intact entry for <paramref name="key"/>.</summary>
    public (byte[] Image, CompiledScript Script)? TryRead(string key)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(Directory, key + ".txt"));
            if (lines.Length < 3 || lines[0] != Header || !lines[1].StartsWith("sha256 ", StringComparison.Ordinal)
                || lines[2].Split('\t') is not ["entry", var entryType, var entryMethod])
            {
                return null;
            }

            var functions = new List<CompiledScriptFunction>();
            foreach (var line in lines.Skip(3))
            {
                if (line.Split('\t') is not ["function", var name, var count, var at]
                    || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var parameters)
                    || !int.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return null;
                }

                functions.Add(new CompiledScriptFunction(name, parameters, number));
            }

            var imagePath = Path.Combine(Directory, key + ".dll");
            var image = File.ReadAllBytes(imagePath);
            if (!string.Equals(lines[1]["sha256 ".Length..], Convert.ToHexStringLower(SHA256.HashData(image)), StringComparison.Ordinal))
            {
                return null;
            }

            File.SetLastWriteTimeUtc(imagePath, DateTime.UtcNow);
            return (image, new CompiledScript(entryType, entryMethod, functions));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores an entry; a cache that cannot be written only costs the next start a compilation.</summary>
    public void TryWrite(string key, byte[] image, CompiledScript script)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var description = new StringBuilder()
                .Append(Header).Append('\n')
                .Append("sha256 ").Append(Convert.ToHexStringLower(SHA256.HashData(image))).Append('\n')
                .Append("entry\t").Append(script.EntryType).Append('\t').Append(script.EntryMethod).Append('\n');
            foreach (var function in script.Functions)
            {
                description.Append(CultureInfo.InvariantCulture, $"function\t{function.Name}\t{function.ParameterCount}\t{function.Line}\n");
            }

            // The image first: a description never points at an image that is not there yet.
            Replace(Path.Combine(Directory, key + ".dll"), image);
            Replace(Path.Combine(Directory, key + ".txt"), Encoding.UTF8.GetBytes(description.ToString()));
            DeleteStale();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only home, full disk: run without the cache.
        }
    }

    private static void Replace(string path, byte[] content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private void DeleteStale()
    {
        var limit = DateTime.UtcNow - MaxAge;
        foreach (var image in System.IO.Directory.EnumerateFiles(Directory, "*.dll"))
        {
            if (File.GetLastWriteTimeUtc(image) < limit)
            {
                File.Delete(Path.ChangeExtension(image, ".txt"));
                File.Delete(image);
            }
        }
    }
}
