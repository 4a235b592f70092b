using Hub.Mqtt;

namespace Hub.Broker.Security;

/// <summary>
/// Reads an ACL file in mosquitto's format:
/// <code>
/// # a comment (whole lines only: a '#' later in a line belongs to the topic)
/// # before any user line: clients without a user name
/// topic read public/#
/// # starts alice's block; access is read, write, readwrite (the default when omitted) or deny
/// user alice
/// topic readwrite alice/#
/// # every client, wherever it stands; %c = client id, %u = user name
/// pattern write devices/%c/up
/// </code>
/// The topic is the rest of the line (it may contain spaces), as mosquitto reads it. Every malformed line is a
/// <see cref="BrokerSecurityException"/> with its line number.
/// </summary>
internal static class AclFile
{
    public static AclRules Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BrokerSecurityException(path, $"cannot read the ACL file: {ex.Message}", ex);
        }

        return Parse(path, lines);
    }

    public static AclRules Parse(string path, IReadOnlyList<string> lines)
    {
        var anonymous = new List<AclRule>();
        var users = new Dictionary<string, List<AclRule>>(StringComparer.Ordinal);
        var patterns = new List<AclRule>();
        List<AclRule> current = anonymous;
        for (var i = 0; i < lines.Count; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var (keyword, rest) = SplitFirst(line);
            switch (keyword)
            {
                case "user":
                    if (rest.Length == 0)
                    {
                        throw new BrokerSecurityException(path, lineNumber, "'user' needs a user name");
                    }

                    if (!users.TryGetValue(rest, out var block))
                    {
                        users[rest] = block = [];
                    }

                    current = block;
                    break;
                case "topic":
                    current.Add(ParseRule(path, lineNumber, keyword, rest, pattern: false));
                    break;
                case "pattern":
                    patterns.Add(ParseRule(path, lineNumber, keyword, rest, pattern: true));
                    break;
                default:
                    throw new BrokerSecurityException(path, lineNumber, $"unknown keyword '{keyword}': expected 'user', 'topic' or 'pattern' (or '#' for a comment)");
            }
        }

        return new AclRules(
            anonymous,
            users.ToDictionary(u => u.Key, u => (IReadOnlyList<AclRule>)u.Value, StringComparer.Ordinal),
            patterns);
    }

    private static AclRule ParseRule(string path, int line, string keyword, string rest, bool pattern)
    {
        if (rest.Length == 0)
        {
            throw new BrokerSecurityException(path, line, $"'{keyword}' needs a topic: {keyword} [read|write|readwrite|deny] TOPIC");
        }

        // As mosquitto: with one word it is the topic (access readwrite); with more, the first word is the access.
        var (first, topic) = SplitFirst(rest);
        AclAccess access;
        if (topic.Length == 0)
        {
            (access, topic) = (AclAccess.ReadWrite, first);
        }
        else
        {
            access = first switch
            {
                "read" => AclAccess.Read,
                "write" => AclAccess.Write,
                "readwrite" => AclAccess.ReadWrite,
                "deny" => AclAccess.Deny,
                _ => throw new BrokerSecurityException(path, line, $"unknown access '{first}': expected read, write, readwrite or deny"),
            };
        }

        // A pattern is checked with its placeholders filled by a harmless level, so "%c" inside a level stays valid.
        var checkable = pattern ? topic.Replace("%c", "x", StringComparison.Ordinal).Replace("%u", "x", StringComparison.Ordinal) : topic;
        if (!TopicFilter.IsValid(checkable, out var reason))
        {
            throw new BrokerSecurityException(path, line, $"invalid topic '{topic}': {reason}");
        }

        return new AclRule(topic, access, line);
    }

    private static (string Head, string Tail) SplitFirst(string text)
    {
        var space = text.AsSpan().IndexOfAny(' ', '\t');
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }
}
