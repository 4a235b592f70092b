using System.Text;
using Hub.Broker.Security;
using Hub.Tests.Support;

namespace Hub.Tests.Broker.Security;

public sealed class BrokerSecurityTests
{
    private static readonly IReadOnlyDictionary<string, PasswordHash> Passwords = new Dictionary<string, PasswordHash>
    {
        ["alice"] = PasswordHash.Create("alice-pw", 10),
        ["bob"] = PasswordHash.Create("bob-pw", 10),
    };

    private static BrokerSecurity WithAcl(params string[] lines) => new(Passwords, AclFile.Parse("acl", lines), allowAnonymous: true);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_user_connects_with_the_right_password_only()
    {
        var security = new BrokerSecurity(Passwords, null, allowAnonymous: false);

        Assert.True(security.Authenticate("c1", "alice", Utf8("alice-pw")));
        Assert.False(security.Authenticate("c1", "alice", Utf8("bob-pw")));
        Assert.False(security.Authenticate("c1", "alice", []));
        Assert.False(security.Authenticate("c1", "carol", Utf8("alice-pw")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_client_without_a_user_name_connects_only_when_anonymous_clients_are_allowed(bool allowAnonymous)
    {
        var security = new BrokerSecurity(Passwords, null, allowAnonymous);

        Assert.Equal(allowAnonymous, security.Authenticate("c1", null, []));
        Assert.True(security.Authenticate("c1", "alice", Utf8("alice-pw")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Without_a_password_file_user_names_are_not_checked_and_count_as_anonymous(bool allowAnonymous)
    {
        var security = new BrokerSecurity(null, null, allowAnonymous);

        Assert.Equal(allowAnonymous, security.Authenticate("c1", "alice", Utf8("anything")));
        Assert.Equal(allowAnonymous, security.Authenticate("c1", null, []));
    }

    [Fact]
    public void Without_an_acl_file_every_client_may_do_anything()
    {
        var security = new BrokerSecurity(Passwords, null, allowAnonymous: true);

        Assert.True(security.CanPublish("c1", null, "a/b"));
        Assert.True(security.CanRead("c1", "alice", "$SYS/broker/uptime"));
        Assert.True(security.CanSubscribe("c1", "bob", "#"));
    }

    [Fact]
    public void With_an_acl_file_what_no_rule_grants_is_refused()
    {
        var security = WithAcl("topic read public/#");

        Assert.True(security.CanRead("c1", null, "public/news"));
        Assert.False(security.CanPublish("c1", null, "public/news"));
        Assert.False(security.CanRead("c1", null, "private/x"));
        Assert.False(security.CanRead("c1", "alice", "public/news"));
    }

    [Fact]
    public void A_topic_without_access_grants_read_and_write()
    {
        var security = WithAcl("user alice", "topic alice/#");

        Assert.True(security.CanRead("c1", "alice", "alice/x"));
        Assert.True(security.CanPublish("c1", "alice", "alice/x/y"));
        Assert.True(security.CanPublish("c1", "alice", "alice"));
    }

    [Fact]
    public void Read_and_write_rules_grant_only_their_direction()
    {
        var security = WithAcl("user alice", "topic read in/#", "topic write out/#");

        Assert.True(security.CanRead("c1", "alice", "in/x"));
        Assert.False(security.CanPublish("c1", "alice", "in/x"));
        Assert.True(security.CanPublish("c1", "alice", "out/x"));
        Assert.False(security.CanRead("c1", "alice", "out/x"));
    }

    [Fact]
    public void A_user_gets_only_its_own_block_and_not_the_anonymous_rules()
    {
        var security = WithAcl("topic read public/#", "user alice", "topic alice/#", "user bob", "topic bob/#");

        Assert.True(security.CanRead("c1", "alice", "alice/x"));
        Assert.False(security.CanRead("c1", "alice", "bob/x"));
        Assert.False(security.CanRead("c1", "alice", "public/x"));
        Assert.False(security.CanRead("c1", null, "alice/x"));
        Assert.False(security.CanRead("c1", "carol", "alice/x"));
    }

    [Fact]
    public void Deny_wins_over_a_grant_written_before_or_after_it()
    {
        var security = WithAcl("user alice", "topic readwrite alice/#", "topic deny alice/secret", "topic read alice/secret");

        Assert.True(security.CanRead("c1", "alice", "alice/other"));
        Assert.False(security.CanRead("c1", "alice", "alice/secret"));
        Assert.False(security.CanPublish("c1", "alice", "alice/secret"));
    }

    [Fact]
    public void A_deny_pattern_wins_over_a_users_own_grant()
    {
        var security = WithAcl("user alice", "topic readwrite #", "pattern deny clients/%c/locked");

        Assert.True(security.CanPublish("dev1", "alice", "clients/dev1/open"));
        Assert.False(security.CanPublish("dev1", "alice", "clients/dev1/locked"));
        Assert.True(security.CanPublish("dev1", "alice", "clients/dev2/locked"));
    }

    [Fact]
    public void Patterns_substitute_the_client_id_and_the_user_name()
    {
        var security = WithAcl("pattern readwrite devices/%c/#", "pattern read users/%u/inbox");

        Assert.True(security.CanPublish("dev1", "alice", "devices/dev1/temp"));
        Assert.False(security.CanPublish("dev1", "alice", "devices/dev2/temp"));
        Assert.True(security.CanRead("dev1", "alice", "users/alice/inbox"));
        Assert.False(security.CanRead("dev1", "alice", "users/bob/inbox"));
        Assert.False(security.CanPublish("dev1", "alice", "users/alice/inbox"));
    }

    [Fact]
    public void A_pattern_naming_the_user_does_not_apply_to_a_client_without_one()
    {
        var security = WithAcl("pattern read users/%u/inbox", "pattern read devices/%c");

        Assert.False(security.CanRead("dev1", null, "users//inbox"));
        Assert.False(security.CanRead("dev1", null, "users/%u/inbox"));
        Assert.True(security.CanRead("dev1", null, "devices/dev1"));
    }

    [Theory]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("a/b")]
    [InlineData("dev+")]
    [InlineData("$SYS")]
    [InlineData("")]
    public void A_client_id_that_would_widen_a_pattern_gets_nothing(string clientId)
    {
        var security = WithAcl("topic read public/#", "pattern readwrite devices/%c/#", "pattern readwrite %c/#");

        Assert.False(security.CanPublish(clientId, null, "devices/x/temp"));
        Assert.False(security.CanPublish(clientId, null, $"devices/{clientId}/temp"));
        Assert.False(security.CanRead(clientId, null, "public/news"));
        Assert.False(security.CanSubscribe(clientId, null, "public/#"));
        Assert.True(security.CanRead("dev1", null, "public/news"));
    }

    [Fact]
    public void A_user_name_that_would_widen_a_pattern_gets_nothing_but_is_harmless_when_no_pattern_uses_it()
    {
        var withUserPattern = WithAcl("user a/b", "topic read public/#", "pattern read users/%u/#");
        var withClientPattern = WithAcl("user a/b", "topic read public/#", "pattern read devices/%c/#");

        Assert.False(withUserPattern.CanRead("dev1", "a/b", "users/a/b/x"));
        Assert.False(withUserPattern.CanRead("dev1", "a/b", "public/news"));
        Assert.True(withClientPattern.CanRead("dev1", "a/b", "public/news"));
    }

    [Fact]
    public void A_rule_starting_with_a_wildcard_does_not_reach_dollar_topics()
    {
        var security = WithAcl("user alice", "topic readwrite #", "topic read +/broker/uptime", "user admin", "topic read $SYS/#");

        Assert.False(security.CanRead("c1", "alice", "$SYS/broker/uptime"));
        Assert.True(security.CanRead("c1", "admin", "$SYS/broker/uptime"));
        Assert.False(security.CanSubscribe("c1", "alice", "$SYS/#"));
    }

    [Fact]
    public void A_subscription_is_accepted_when_some_readable_topic_matches_it()
    {
        var security = WithAcl("user alice", "topic read sensors/+/temp", "topic write cmd/#", "topic deny sensors/secret/temp");

        Assert.True(security.CanSubscribe("c1", "alice", "sensors/+/temp"));
        Assert.True(security.CanSubscribe("c1", "alice", "sensors/kitchen/temp"));
        Assert.True(security.CanSubscribe("c1", "alice", "#"));
        Assert.True(security.CanSubscribe("c1", "alice", "sensors/#"));
        Assert.False(security.CanSubscribe("c1", "alice", "sensors/kitchen/humidity"));
        Assert.False(security.CanSubscribe("c1", "alice", "cmd/#"));
    }

    [Fact]
    public void A_subscription_that_a_deny_rule_covers_entirely_is_refused_but_a_partly_denied_one_is_not()
    {
        var security = WithAcl("user alice", "topic read a/#", "topic deny a/secret/#");

        Assert.False(security.CanSubscribe("c1", "alice", "a/secret/#"));
        Assert.False(security.CanSubscribe("c1", "alice", "a/secret/x"));
        Assert.True(security.CanSubscribe("c1", "alice", "a/#"));
        Assert.True(security.CanRead("c1", "alice", "a/open"));
        Assert.False(security.CanRead("c1", "alice", "a/secret/x"));
    }

    [Fact]
    public void An_invalid_subscription_filter_is_refused()
    {
        var security = WithAcl("topic read #");

        Assert.False(security.CanSubscribe("c1", null, "a/#/b"));
        Assert.True(security.CanSubscribe("c1", null, "a/+/b"));
    }

    [Fact]
    public void Decisions_stay_right_for_many_clients_beyond_the_cache()
    {
        var security = WithAcl("pattern readwrite devices/%c/#");

        for (var i = 0; i < 12_000; i++)
        {
            Assert.True(security.CanPublish($"dev{i}", null, $"devices/dev{i}/t"));
        }

        Assert.False(security.CanPublish("dev5", null, "devices/dev6/t"));
        Assert.True(security.CanPublish("dev5", null, "devices/dev5/t"));
    }

    [Fact]
    public void Load_reads_both_files()
    {
        using var temp = new TempDirectory();
        var passwords = temp.Write("passwd", $"alice:{PasswordHash.Create("pw", 10).Encode()}\n");
        var acl = temp.Write("acl", "user alice\ntopic alice/#\n");

        var security = BrokerSecurity.Load(passwords, acl, allowAnonymous: false);

        Assert.True(security.Authenticate("c1", "alice", Utf8("pw")));
        Assert.False(security.Authenticate("c1", null, []));
        Assert.True(security.CanPublish("c1", "alice", "alice/x"));
        Assert.False(security.CanPublish("c1", "alice", "bob/x"));
    }

    [Fact]
    public void Load_reports_a_malformed_file_as_file_line_message()
    {
        using var temp = new TempDirectory();
        var passwords = temp.Write("passwd", "# users\nalice\n");
        var acl = temp.Write("acl", "user alice\ntopic alice/#\nbogus\n");

        var passwordError = Assert.Throws<BrokerSecurityException>(() => BrokerSecurity.Load(passwords, null, true));
        var aclError = Assert.Throws<BrokerSecurityException>(() => BrokerSecurity.Load(null, acl, true));

        Assert.Equal($"{passwords}:2: expected USER:PASSWORD_HASH", passwordError.Message);
        Assert.StartsWith($"{acl}:3: unknown keyword 'bogus'", aclError.Message, StringComparison.Ordinal);
    }
}
