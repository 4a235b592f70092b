using System.Security.Cryptography;
using System.Text;
using Hub.Config.Ini;

namespace Hub.PluginHost;

/// <summary>
/// One hash of everything a reload would read (<see cref="ReloadInputs"/>): the configuration as parsed (its sections,
/// keys and values in order: comments, blank lines and layout do not count), the content of each file it names as
/// its own, and every plugin file by content. Equal fingerprints mean a reload would build the hub that runs, so it
/// can be skipped: a <c>touch</c>, or a save without a change, costs one hash of a few megabytes.
/// </summary>
internal static class ConfigFingerprint
{
    /// <summary>The fingerprint (hex); a file that is missing or cannot be read counts as that, so it differs from any content.</summary>
    public static string Of(ReloadInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, "config", inputs.ConfigFile, ParsedConfiguration(inputs.ConfigFile));
        foreach (var file in inputs.OwnFiles)
        {
            Add(hash, "file", file, ContentHash(file));
        }

        foreach (var directory in inputs.PluginDirectories)
        {
            Add(hash, "plugins", directory, Directory.Exists(directory) ? "present" : "missing");
        }

        foreach (var folder in inputs.PluginFolders().Concat(inputs.AssemblyFolders.Where(Directory.Exists)))
        {
            var recursive = !inputs.AssemblyFolders.Contains(folder);
            foreach (var file in PluginFiles(folder, recursive))
            {
                Add(hash, "plugin", file, ContentHash(file));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The configuration file as its sections and entries, one per line; its raw bytes when it cannot be parsed.</summary>
    private static string ParsedConfiguration(string path)
    {
        var document = ReloadInputs.ReadDocument(path);
        if (document is null)
        {
            return "unparsed " + ContentHash(path);
        }

        var text = new StringBuilder();
        foreach (var section in document.Sections.Prepend(document.Defaults).OfType<IniSection>())
        {
            text.Append('[').Append(section.Name).Append("]\n");
            foreach (var entry in section.Entries)
            {
                // Lengths first, so no key or value can imitate a neighbour's.
                text.Append(entry.Key.Length).Append(':').Append(entry.Key).Append(entry.Value.Length).Append(':').Append(entry.Value).Append('\n');
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> PluginFiles(string folder, bool recursive)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(ReloadInputs.IsPluginFile)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [$"{folder} unreadable: {ex.Message}"];
        }
    }

    private static string ContentHash(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return "missing";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"unreadable ({ex.Message})";
        }
    }

    private static void Add(IncrementalHash hash, string kind, string name, string value)
    {
        foreach (var part in new[] { kind, name, value })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
    }
}
