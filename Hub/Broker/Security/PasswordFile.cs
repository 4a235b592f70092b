namespace Hub.Broker.Security;

/// <summary>
/// Reads a mosquitto password file: one <c>USER:HASH</c> per line (see <see cref="PasswordHash"/>), blank lines and
/// <c>#</c> comments ignored. Unlike mosquitto, which drops a bad entry with a log line, every malformed line is a
/// <see cref="BrokerSecurityException"/> with its line number: a user who silently cannot log in is harder to find.
/// </summary>
internal static class PasswordFile
{
    public static IReadOnlyDictionary<string, PasswordHash> Load(string path) => Parse(path, ReadLines(path));

    public static IReadOnlyDictionary<string, PasswordHash> Parse(string path, IReadOnlyList<string> lines)
    {
        var users = new Dictionary<string, PasswordHash>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (ParseLine(path, i + 1, lines[i]) is not { } entry)
            {
                continue;
            }

            if (!PasswordHash.TryParse(entry.Value, out var hash, out var error))
            {
                throw new BrokerSecurityException(path, i + 1, $"user '{entry.User}': {error}");
            }

            if (!firstLine.TryAdd(entry.User, i + 1))
            {
                throw new BrokerSecurityException(path, i + 1, $"user '{entry.User}' is already defined on line {firstLine[entry.User]}");
            }

            users[entry.User] = hash!;
        }

        return users;
    }

    /// <summary>The user and the text after the first ':' of a line, or null for blank and comment lines.</summary>
    public static (string User, string Value)? ParseLine(string path, int lineNumber, string line)
    {
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith('#'))
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new BrokerSecurityException(path, lineNumber, "expected USER:PASSWORD_HASH");
        }

        var user = text[..colon].Trim();
        if (user.Length == 0)
        {
            throw new BrokerSecurityException(path, lineNumber, "the user name is empty");
        }

        return (user, text[(colon + 1)..].Trim());
    }

    public static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BrokerSecurityException(path, $"cannot read the password file: {ex.Message}", ex);
        }
    }
}
