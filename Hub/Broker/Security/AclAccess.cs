namespace Hub.Broker.Security;

/// <summary>What an ACL rule grants. <see cref="Deny"/> grants nothing and wins over every grant that matches too.</summary>
[Flags]
internal enum AclAccess
{
    Deny = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}
