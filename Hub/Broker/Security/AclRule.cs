namespace Hub.Broker.Security;

/// <summary>
/// One <c>topic</c> or <c>pattern</c> line of an ACL file: the filter (for a pattern, with <c>%c</c>/<c>%u</c> still in it),
/// what it grants, and where it was written.
/// </summary>
internal sealed record AclRule(string Filter, AclAccess Access, int Line)
{
    public bool IsDeny => Access == AclAccess.Deny;

    public bool UsesClientId => Filter.Contains("%c", StringComparison.Ordinal);

    public bool UsesUserName => Filter.Contains("%u", StringComparison.Ordinal);
}
