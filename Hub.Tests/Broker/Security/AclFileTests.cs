using Hub.Broker.Security;
using Hub.Tests.Support;

namespace Hub.Tests.Broker.Security;

public sealed class AclFileTests
{
    [Fact]
    public void Rules_before_any_user_are_the_anonymous_ones_and_user_blocks_collect_their_topics()
    {
        var acl = AclFile.Parse("acl", [
            "# comment",
            "topic read public/#",
            "",
            "user alice",
            "topic alice/#",
            "  topic   write   alice/out  ",
            "user bob",
            "topic deny bob/secret",
            "user alice",
            "topic read more/alice",
        ]);

        Assert.Equal([new AclRule("public/#", AclAccess.Read, 2)], acl.Anonymous);
        Assert.Equal(
            [new AclRule("alice/#", AclAccess.ReadWrite, 5), new AclRule("alice/out", AclAccess.Write, 6), new AclRule("more/alice", AclAccess.Read, 10)],
            acl.Users["alice"]);
        Assert.Equal([new AclRule("bob/secret", AclAccess.Deny, 8)], acl.Users["bob"]);
        Assert.Empty(acl.Patterns);
    }

    [Fact]
    public void Patterns_apply_to_every_client_wherever_they_stand()
    {
        var acl = AclFile.Parse("acl", ["user alice", "pattern readwrite devices/%c/#", "topic a", "pattern deny users/%u/locked"]);

        Assert.Equal([new AclRule("devices/%c/#", AclAccess.ReadWrite, 2), new AclRule("users/%u/locked", AclAccess.Deny, 4)], acl.Patterns);
        Assert.Equal([new AclRule("a", AclAccess.ReadWrite, 3)], acl.Users["alice"]);
        Assert.True(acl.PatternsUseClientId);
        Assert.True(acl.PatternsUseUserName);
    }

    [Fact]
    public void A_topic_may_contain_spaces_as_with_mosquitto()
    {
        var acl = AclFile.Parse("acl", ["topic read living room/lamp"]);

        Assert.Equal("living room/lamp", Assert.Single(acl.Anonymous).Filter);
    }

    [Theory]
    [InlineData("group admins", "acl:2: unknown keyword 'group': expected 'user', 'topic' or 'pattern' (or '#' for a comment)")]
    [InlineData("topic", "acl:2: 'topic' needs a topic: topic [read|write|readwrite|deny] TOPIC")]
    [InlineData("pattern", "acl:2: 'pattern' needs a topic: pattern [read|write|readwrite|deny] TOPIC")]
    [InlineData("topic rw a/b", "acl:2: unknown access 'rw': expected read, write, readwrite or deny")]
    [InlineData("user", "acl:2: 'user' needs a user name")]
    [InlineData("topic read a/#/b", "acl:2: invalid topic 'a/#/b': '#' must be the last level, alone")]
    [InlineData("topic read a/b # trailing comment", "acl:2: invalid topic 'a/b # trailing comment': '#' must be the last level, alone")]
    [InlineData("pattern read a/x%c+/b", "acl:2: invalid topic 'a/x%c+/b': '+' must occupy a whole level")]
    public void A_malformed_line_is_reported_with_file_and_line(string line, string message)
    {
        var ex = Assert.Throws<BrokerSecurityException>(() => AclFile.Parse("acl", ["topic ok", line]));

        Assert.Equal(message, ex.Message);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void A_missing_file_is_an_error_about_the_whole_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("missing.acl");

        var ex = Assert.Throws<BrokerSecurityException>(() => AclFile.Load(path));

        Assert.StartsWith($"{path}: cannot read the ACL file: ", ex.Message, StringComparison.Ordinal);
    }
}
