using Hub.Analytics;
using Hub.Config;
using Hub.Config.Sections;
using Xunit;

namespace Hub.Tests.Config;

public sealed class AlarmPolicyKeysTests
{
    private static (AlarmPolicy Policy, IReadOnlyList<ConfigDiagnostic> Errors) Read(params (string Key, string Value)[] keys)
    {
        var diagnostics = new DiagnosticBag("hub.ini");
        var map = keys.Select((k, i) => (k.Key, (k.Value, 10 + i))).ToDictionary(k => k.Key, k => k.Item2);
        return (AlarmPolicyKeys.Read(new AlarmPolicy(), map, "rule:hot", diagnostics), diagnostics.ToList());
    }

    [Fact]
    public void The_lifecycle_keys_are_read_into_the_policy()
    {
        var (policy, errors) = Read(("flapping", "True"), ("flap_low", "10"), ("flap_high", "30%"), ("ack_expire", "4h"),
            ("inhibit", "rule=device_down, severity!=info"), ("inhibit_equal", "site, zone"), ("correlate_window", "2m"), ("correlate_min", "5"));

        Assert.Empty(errors);
        Assert.Equal((10.0, 30.0), (policy.FlapLow, policy.FlapHigh));
        Assert.Equal(TimeSpan.FromHours(4), policy.AckExpire);
        Assert.Equal(["rule=device_down", "severity!=info"], policy.Inhibit.Select(m => m.ToString()));
        Assert.Equal(["site", "zone"], policy.InhibitEqual);
        Assert.Equal((TimeSpan.FromMinutes(2), 5), (policy.CorrelateWindow, policy.CorrelateMin));
    }

    [Fact]
    public void Every_bad_key_is_reported_with_its_line_at_once()
    {
        var (_, errors) = Read(("flapping", "maybe"), ("flap_low", "120"), ("ack_expire", "soon"), ("inhibit", "rule"), ("correlate_min", "-1"));

        Assert.Equal([10, 11, 12, 13, 14], errors.Select(e => e.Location.Line));
        Assert.All(errors, e => Assert.Equal("hub.ini", e.Location.File));
    }
}
