namespace Hub.Broker.Security;

/// <summary>
/// A parsed ACL file: the <c>topic</c> rules before any <c>user</c> line (for clients without a user name), the rules
/// of each <c>user</c> block (blocks of the same name merge), and the <c>pattern</c> rules, which apply to every client
/// wherever they stand in the file.
/// </summary>
internal sealed record AclRules(
    IReadOnlyList<AclRule> Anonymous,
    IReadOnlyDictionary<string, IReadOnlyList<AclRule>> Users,
    IReadOnlyList<AclRule> Patterns)
{
    public bool PatternsUseClientId { get; } = Patterns.Any(p => p.UsesClientId);

    public bool PatternsUseUserName { get; } = Patterns.Any(p => p.UsesUserName);

    /// <summary>The <c>topic</c> rules for a client: its user's block, or the anonymous rules when it has no user name.</summary>
    public IReadOnlyList<AclRule> TopicRulesFor(string? userName) =>
        userName is null ? Anonymous : Users.TryGetValue(userName, out var rules) ? rules : [];
}
