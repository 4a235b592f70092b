namespace Hub.Broker.Security;

/// <summary>Builds the broker's security from <c>password_file</c>, <c>acl_file</c> and <c>allow_anonymous</c>.</summary>
internal static class BrokerSecurityFactory
{
    /// <summary>
    /// The loader for password and ACL files. Without files every client is allowed; with files a loader must
    /// be set (BrokerSecurity.Load), so a configured password file is never silently ignored.
    /// </summary>
    public static Func<string?, string?, bool, IBrokerSecurity> Load { get; set; } = (passwordFile, aclFile, allowAnonymous) =>
        passwordFile is null && aclFile is null && allowAnonymous
            ? new AllowAllSecurity()
            : throw new InvalidOperationException("[broker] password_file, acl_file and allow_anonymous = False need the broker security module, which this build lacks.");

    public static IBrokerSecurity Create(BrokerOptions options) => Load(options.PasswordFile, options.AclFile, options.AllowAnonymous);
}
