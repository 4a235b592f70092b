namespace Hub.Broker.Security;

/// <summary>
/// Who may connect to the embedded broker and what each client may publish and subscribe to.
/// <see cref="BrokerSecurity.Load"/> builds one from the <c>[broker]</c> section's <c>password_file</c>,
/// <c>acl_file</c> and <c>allow_anonymous</c>; the broker calls it for every CONNECT, PUBLISH and SUBSCRIBE.
/// </summary>
internal interface IBrokerSecurity
{
    /// <summary>True when the client may connect: the password matches the user's salted hash, or the client
    /// sent no user name and anonymous clients are allowed.</summary>
    bool Authenticate(string clientId, string? username, ReadOnlySpan<byte> password);

    /// <summary>True when the client may publish to <paramref name="topic"/> (a topic name, no wildcards).</summary>
    bool CanPublish(string clientId, string? username, string topic);

    /// <summary>True when the client may receive messages on <paramref name="topic"/> (a topic name: the broker asks
    /// per delivered message, so a subscription to <c>#</c> only sees what the ACL lets through).</summary>
    bool CanRead(string clientId, string? username, string topic);

    /// <summary>True when the client may subscribe to <paramref name="filter"/> (may hold <c>+</c>/<c>#</c>;
    /// for <c>$share/GROUP/F</c> the broker passes F).</summary>
    bool CanSubscribe(string clientId, string? username, string filter);
}
