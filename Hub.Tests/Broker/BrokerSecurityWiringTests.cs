using Hub.Broker;
using Hub.Broker.Security;
using Hub.Tests.Support;

namespace Hub.Tests.Broker;

/// <summary>
/// The <c>[broker]</c> keys <c>password_file</c>/<c>acl_file</c> reach the running broker: a password file written by
/// <c>hub passwd</c> lets the right password in and keeps others out, the ACL decides what mosquitto's clients may
/// publish and read; and a bad file is a configuration error at its own line, as <c>hub check</c> reports it.
/// </summary>
public sealed class BrokerSecurityWiringTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_password_file_from_hub_passwd_and_an_acl_file_guard_the_embedded_broker()
    {
        var passwords = _temp.File("passwd");
        var (code, _, error) = await Cli.CliRunner.RunAsync("passwd", "-c", "-b", passwords, "sensor", "s3cret");
        Assert.True(code == 0, error);
        var acl = _temp.Write("acl", "user sensor\ntopic write sensors/#\ntopic read sensors/#\n");
        var config = ConfigTestLoader.LoadValid($"""
            [defaults]
            launch = log

            [broker]
            enabled = True
            password_file = {passwords}
            acl_file = {acl}

            [config:log]
            targets = {"{"} 'info': ['info'] {"}"}

            [t/#]
            targets = log:info
            """);
        var options = Assert.IsType<BrokerOptions>(config.Broker);
        Assert.False(options.AllowAnonymous); // a password file turns anonymous access off unless allow_anonymous says otherwise

        await using var broker = await EmbeddedBroker.StartAsync(options with { Persistence = false }, security: BrokerSecurityFactory.Create(options));
        await using var subscriber = await broker.SubscribeAsync("sensors/#", 1, "-u", "sensor", "-P", "s3cret");
        await broker.PublishAsync("sensors/t1", "21.5", 1, "-u", "sensor", "-P", "s3cret");
        Assert.Equal("sensors/t1 21.5", await subscriber.ReadAsync(TimeSpan.FromSeconds(30)));

        var wrong = await broker.TryPublishAsync("-t", "sensors/t1", "-m", "x", "-u", "sensor", "-P", "guess");
        Assert.NotEqual(0, wrong.ExitCode);
        var anonymous = await broker.TryPublishAsync("-t", "sensors/t1", "-m", "x");
        Assert.NotEqual(0, anonymous.ExitCode);

        // Outside its ACL the publish is dropped (as mosquitto does for MQTT 3.1.1): the subscriber sees only the next allowed one.
        await broker.PublishAsync("other/t1", "denied", 1, "-u", "sensor", "-P", "s3cret");
        await broker.PublishAsync("sensors/t2", "22.0", 1, "-u", "sensor", "-P", "s3cret");
        Assert.Equal("sensors/t2 22.0", await subscriber.ReadAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_malformed_acl_file_is_an_error_at_its_own_line()
    {
        var acl = _temp.Write("acl", "user sensor\ntopic write sensors/#\ntopic sometimes sensors/#\n");
        var result = ConfigTestLoader.Load($"""
            [defaults]
            launch = log

            [broker]
            enabled = True
            acl_file = {acl}
            """);

        var error = Assert.Single(result.Errors, e => e.Location.File == acl);
        Assert.Equal(3, error.Location.Line);
    }
}
