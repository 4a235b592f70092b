namespace Hub.Broker.Security;

/// <summary>The default when <c>[broker]</c> names no password or ACL file: every client may connect, publish and subscribe.</summary>
internal sealed class AllowAllSecurity : IBrokerSecurity
{
    public bool Authenticate(string clientId, string? username, ReadOnlySpan<byte> password) => true;

    public bool CanPublish(string clientId, string? username, string topic) => true;

    public bool CanRead(string clientId, string? username, string topic) => true;

    public bool CanSubscribe(string clientId, string? username, string filter) => true;
}
