using System.Collections.Concurrent;
using Hub.Mqtt;

namespace Hub.Broker.Security;

/// <summary>
/// The embedded broker's authentication (a mosquitto password file) and authorisation (a mosquitto ACL file).
/// Without a password file, user names are not checked: a client that sends one connects only when anonymous clients
/// are allowed, as with mosquitto. Without an ACL file every connected client may publish and subscribe to anything;
/// with one, what no rule grants is refused and a matching <c>deny</c> wins over any grant (see docs/broker-security.md).
/// </summary>
internal sealed class BrokerSecurity : IBrokerSecurity
{
    /// <summary>Resolved rule lists are kept per (client id, user name); past this many the cache starts over.</summary>
    private const int MaxCachedClients = 10_000;

    private readonly IReadOnlyDictionary<string, PasswordHash>? _passwords;
    private readonly AclRules? _acl;
    private readonly bool _allowAnonymous;
    private readonly ConcurrentDictionary<(string ClientId, string? UserName), ClientRules> _resolved = new();

    /// <summary>Hashed for unknown users, with the file's highest iteration count, so a wrong user name costs as long as a
    /// wrong password and does not reveal which names exist.</summary>
    private readonly Lazy<PasswordHash> _decoy;

    internal BrokerSecurity(IReadOnlyDictionary<string, PasswordHash>? passwords, AclRules? acl, bool allowAnonymous)
    {
        _passwords = passwords;
        _acl = acl;
        _allowAnonymous = allowAnonymous;
        _decoy = new(() => PasswordHash.Create(
            Guid.NewGuid().ToString(),
            passwords?.Values.Select(h => h.Iterations).DefaultIfEmpty(PasswordHash.DefaultIterations).Max() ?? PasswordHash.DefaultIterations));
    }

    /// <summary>Reads both files (either may be null: no authentication of user names, no ACL).</summary>
    /// <exception cref="BrokerSecurityException">A file cannot be read or has a malformed line (<c>FILE:LINE: message</c>).</exception>
    public static IBrokerSecurity Load(string? passwordFile, string? aclFile, bool allowAnonymous) =>
        new BrokerSecurity(
            passwordFile is null ? null : PasswordFile.Load(passwordFile),
            aclFile is null ? null : AclFile.Load(aclFile),
            allowAnonymous);

    public bool Authenticate(string clientId, string? username, ReadOnlySpan<byte> password)
    {
        if (username is null || _passwords is null)
        {
            return _allowAnonymous;
        }

        if (_passwords.TryGetValue(username, out var hash))
        {
            return hash.Verify(password);
        }

        _ = _decoy.Value.Verify(password);
        return false;
    }

    public bool CanPublish(string clientId, string? username, string topic) => _acl is null || Check(clientId, username, topic, AclAccess.Write);

    public bool CanRead(string clientId, string? username, string topic) => _acl is null || Check(clientId, username, topic, AclAccess.Read);

    /// <summary>
    /// A subscription is refused only when it could never deliver anything: no rule granting read shares a topic with the
    /// filter, or a <c>deny</c> rule matches every topic the filter does. Each message is still checked with
    /// <see cref="CanRead"/>, so <c>#</c> is accepted and delivers only what the rules let through.
    /// </summary>
    public bool CanSubscribe(string clientId, string? username, string filter)
    {
        if (_acl is null)
        {
            return true;
        }

        if (!TopicFilter.IsValid(filter) || RulesFor(clientId, username) is not { } rules)
        {
            return false;
        }

        var granted = false;
        foreach (var rule in rules.Rules)
        {
            if (rule.IsDeny)
            {
                if (FilterRelations.Covers(rule.Filter, filter))
                {
                    return false;
                }
            }
            else if (!granted && (rule.Access & AclAccess.Read) != 0 && FilterRelations.Intersect(rule.Filter, filter))
            {
                granted = true;
            }
        }

        return granted;
    }

    private bool Check(string clientId, string? username, string topic, AclAccess needed)
    {
        if (RulesFor(clientId, username) is not { } rules)
        {
            return false;
        }

        var granted = false;
        foreach (var rule in rules.Rules)
        {
            if (!TopicFilter.Matches(rule.Filter, topic))
            {
                continue;
            }

            if (rule.IsDeny)
            {
                return false;
            }

            granted |= (rule.Access & needed) != 0;
        }

        return granted;
    }

    /// <summary>The client's topic rules followed by the patterns filled in for it; null when a pattern would have to take
    /// an unsafe client id or user name (then the client gets nothing, as with mosquitto).</summary>
    private ClientRules? RulesFor(string clientId, string? username)
    {
        if (_resolved.TryGetValue((clientId, username), out var cached))
        {
            return cached.Unsafe ? null : cached;
        }

        var resolved = Resolve(_acl!, clientId, username);
        if (_resolved.Count >= MaxCachedClients)
        {
            _resolved.Clear();
        }

        _resolved[(clientId, username)] = resolved;
        return resolved.Unsafe ? null : resolved;
    }

    private static ClientRules Resolve(AclRules acl, string clientId, string? username)
    {
        if ((acl.PatternsUseClientId && !IsSafeSubstitution(clientId)) || (acl.PatternsUseUserName && username is not null && !IsSafeSubstitution(username)))
        {
            return new ClientRules([], Unsafe: true);
        }

        var rules = new List<AclRule>(acl.TopicRulesFor(username));
        foreach (var pattern in acl.Patterns)
        {
            // As mosquitto: a pattern naming the user does not apply to a client without one.
            if (pattern.UsesUserName && username is null)
            {
                continue;
            }

            var filter = pattern.Filter.Replace("%c", clientId, StringComparison.Ordinal);
            filter = username is null ? filter : filter.Replace("%u", username, StringComparison.Ordinal);
            rules.Add(pattern with { Filter = filter });
        }

        return new ClientRules([.. rules], Unsafe: false);
    }

    /// <summary>
    /// A value put into a pattern must stay one plain level: '+' or '#' would widen the rule, '/' would reach into another
    /// client's subtree ("a/b" inside "devices/a/…"), a leading '$' into "$SYS", and an empty value would name the parent.
    /// </summary>
    internal static bool IsSafeSubstitution(string value) =>
        value.Length > 0 && !value.StartsWith('$') && value.AsSpan().IndexOfAny("+#/\0") < 0;

    private sealed record ClientRules(AclRule[] Rules, bool Unsafe);
}
