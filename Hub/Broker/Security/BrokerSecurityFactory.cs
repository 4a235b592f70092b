namespace Hub.Broker.Security;

/// <summary>Builds the broker's security from <c>password_file</c>, <c>acl_file</c> and <c>allow_anonymous</c>.</summary>
internal static class BrokerSecurityFactory
{
    public static IBrokerSecurity Create(BrokerOptions options) =>
        options.PasswordFile is null && options.AclFile is null && options.AllowAnonymous
            ? new AllowAllSecurity()
            : BrokerSecurity.Load(options.PasswordFile, options.AclFile, options.AllowAnonymous);
}
