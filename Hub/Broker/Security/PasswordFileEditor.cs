using System.Text;

namespace Hub.Broker.Security;

/// <summary>
/// Changes a password file line by line for <c>hub passwd</c>: comments, blank lines and other users stay as they were;
/// a new user goes to the end. <see cref="Save"/> replaces the file atomically with mode 0600.
/// </summary>
internal sealed class PasswordFileEditor
{
    private readonly string _path;
    private readonly List<string> _lines;

    private PasswordFileEditor(string path, List<string> lines)
    {
        _path = path;
        _lines = lines;
    }

    /// <summary>A new, empty file (written by <see cref="Save"/>; an existing one is overwritten).</summary>
    public static PasswordFileEditor Create(string path) => new(path, []);

    /// <summary>An existing file; every line must be valid (<paramref name="plainText"/>: the values may be plain-text passwords, for <c>-U</c>).</summary>
    /// <exception cref="BrokerSecurityException">The file is missing, unreadable or malformed (<c>FILE:LINE: message</c>).</exception>
    public static PasswordFileEditor Open(string path, bool plainText = false)
    {
        if (!File.Exists(path))
        {
            throw new BrokerSecurityException(path, 0, "the password file does not exist (give -c to create it)");
        }

        var lines = PasswordFile.ReadLines(path);
        if (plainText)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                PasswordFile.ParseLine(path, i + 1, lines[i]);
            }
        }
        else
        {
            PasswordFile.Parse(path, lines);
        }

        return new PasswordFileEditor(path, [.. lines]);
    }

    /// <summary>Why <paramref name="user"/> cannot be a user name in a password file, or null when it can.</summary>
    public static string? InvalidUserName(string user)
    {
        if (user.Length == 0)
        {
            return "the user name is empty";
        }

        if (user.Contains(':', StringComparison.Ordinal))
        {
            return "a user name must not contain ':'";
        }

        if (user.Any(char.IsControl))
        {
            return "a user name must not contain control characters";
        }

        if (user.Trim() != user || user.StartsWith('#'))
        {
            return "a user name must not start or end with white space, nor start with '#'";
        }

        return Encoding.UTF8.GetByteCount(user) > 65535 ? "a user name is at most 65535 bytes" : null;
    }

    /// <summary>Sets the user's hash; true when the user was added, false when an existing line was replaced.</summary>
    public bool Set(string user, PasswordHash hash)
    {
        var line = $"{user}:{hash.Encode()}";
        var index = IndexOf(user);
        if (index < 0)
        {
            _lines.Add(line);
            return true;
        }

        _lines[index] = line;
        return false;
    }

    /// <summary>Removes the user; false when the file has no such user.</summary>
    public bool Delete(string user)
    {
        var index = IndexOf(user);
        if (index < 0)
        {
            return false;
        }

        _lines.RemoveAt(index);
        return true;
    }

    /// <summary>Hashes every plain-text password (<c>-U</c>); values that already are hashes stay. Returns how many were hashed.</summary>
    public int HashPlainText(int iterations)
    {
        var converted = 0;
        for (var i = 0; i < _lines.Count; i++)
        {
            if (PasswordFile.ParseLine(_path, i + 1, _lines[i]) is not { } entry || PasswordHash.TryParse(entry.Value, out _, out _))
            {
                continue;
            }

            if (entry.Value.Length == 0)
            {
                throw new BrokerSecurityException(_path, i + 1, $"user '{entry.User}' has an empty password");
            }

            _lines[i] = $"{entry.User}:{PasswordHash.Create(entry.Value, iterations).Encode()}";
            converted++;
        }

        return converted;
    }

    public void Save() => SecureFileWriter.Write(_path, _lines.Count == 0 ? "" : string.Join('\n', _lines) + "\n");

    private int IndexOf(string user) =>
        _lines.FindIndex(line => PasswordFile.ParseLine(_path, 0, line) is { } entry && entry.User == user);
}
