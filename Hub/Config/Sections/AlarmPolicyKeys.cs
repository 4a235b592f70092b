using Hub.Analytics;
using Hub.Analytics.Alarms;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>
/// The alarm lifecycle's own keys of a <c>[rule:NAME]</c> section (docs/alarms.md): <c>flapping</c>, <c>flap_low</c>,
/// <c>flap_high</c>, <c>ack_expire</c>, <c>inhibit</c>, <c>inhibit_equal</c>, <c>correlate_window</c>,
/// <c>correlate_min</c>. The rule reader calls <see cref="Read"/> with the section's keys; errors are <c>FILE:LINE</c>.
/// </summary>
internal static class AlarmPolicyKeys
{
    /// <summary>The keys read here (the rule reader accepts them as known).</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "flapping", "flap_low", "flap_high", "ack_expire", "inhibit", "inhibit_equal", "correlate_window", "correlate_min",
    };

    /// <summary><paramref name="policy"/> with the keys of <paramref name="keys"/> it names applied; every problem goes to <paramref name="diagnostics"/>.</summary>
    public static AlarmPolicy Read(AlarmPolicy policy, IReadOnlyDictionary<string, (string Value, int Line)> keys, string section, DiagnosticBag diagnostics)
    {
        (string Value, int Line)? Key(string name) => keys.TryGetValue(name, out var entry) ? entry : null;
        string Text((string Value, int Line) entry) => entry.Value.Trim().Trim('\'', '"').Trim();

        if (Key("flapping") is { } flapping)
        {
            if (ConfigValues.TryToBool(Text(flapping), out var on))
            {
                policy = policy with { FlapDetection = on };
            }
            else
            {
                diagnostics.Error(flapping.Line, section, $"flapping = {flapping.Value}: expected True or False");
            }
        }

        policy = Percent(policy, Key("flap_low"), "flap_low", section, diagnostics, (p, v) => p with { FlapLow = v });
        policy = Percent(policy, Key("flap_high"), "flap_high", section, diagnostics, (p, v) => p with { FlapHigh = v });
        if (policy.FlapLow > policy.FlapHigh)
        {
            diagnostics.Error((Key("flap_low") ?? Key("flap_high"))!.Value.Line, section, $"flap_low ({policy.FlapLow}) is above flap_high ({policy.FlapHigh})");
        }

        if (Key("ack_expire") is { } ack)
        {
            if (Durations.TryParse(Text(ack), out var span) && span > TimeSpan.Zero)
            {
                policy = policy with { AckExpire = span };
            }
            else
            {
                diagnostics.Error(ack.Line, section, $"ack_expire = {ack.Value}: expected a duration such as 4h");
            }
        }

        if (Key("inhibit") is { } inhibit)
        {
            var errors = new List<string>();
            var matchers = LabelMatcher.ParseList(Text(inhibit), errors);
            foreach (var error in errors)
            {
                diagnostics.Error(inhibit.Line, section, $"inhibit: {error}");
            }

            if (matchers.Count == 0 && errors.Count == 0)
            {
                diagnostics.Error(inhibit.Line, section, "inhibit: expected matchers such as rule=device_down");
            }

            policy = policy with { Inhibit = matchers };
        }

        if (Key("inhibit_equal") is { } equal)
        {
            policy = policy with { InhibitEqual = [.. Text(equal).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] };
        }

        if (Key("correlate_window") is { } window)
        {
            if (Durations.TryParse(Text(window), out var span) && span > TimeSpan.Zero)
            {
                policy = policy with { CorrelateWindow = span };
            }
            else
            {
                diagnostics.Error(window.Line, section, $"correlate_window = {window.Value}: expected a duration such as 1m");
            }
        }

        if (Key("correlate_min") is { } min)
        {
            if (int.TryParse(Text(min), out var count) && count >= 0)
            {
                policy = policy with { CorrelateMin = count };
            }
            else
            {
                diagnostics.Error(min.Line, section, $"correlate_min = {min.Value}: expected a whole number (0 = off)");
            }
        }

        return policy;
    }

    private static AlarmPolicy Percent(AlarmPolicy policy, (string Value, int Line)? key, string name, string section, DiagnosticBag diagnostics,
        Func<AlarmPolicy, double, AlarmPolicy> apply)
    {
        if (key is not { } entry)
        {
            return policy;
        }

        if (double.TryParse(entry.Value.Trim().TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value is >= 0 and <= 100)
        {
            return apply(policy, value);
        }

        diagnostics.Error(entry.Line, section, $"{name} = {entry.Value}: expected a percentage from 0 to 100");
        return policy;
    }
}
