using Hub.Formatting;

namespace Hub.Tests.Formatting;

/// <summary>Every row of mqttwarn-compat §7.6 (verified with Python 3.11).</summary>
public sealed class CompatExamplesTests
{
    [Theory]
    [InlineData("{name}: {value}", "{\"name\": \"temperature\", \"value\": 42.42}", "temperature: 42.42")]
    [InlineData("[{x:>8.2f}]", "{\"x\": 3.14159}", "[    3.14]")]
    [InlineData("[{x:<6}] [{x:^7}] [{x:*^7}]", "{\"x\": \"ab\"}", "[ab    ] [  ab   ] [**ab***]")]
    [InlineData("[{x:>8}]", "{\"x\": \"Räuber\"}", "[  Räuber]")]
    [InlineData("{x:.3} {y:05}", "{\"x\": \"abcdef\", \"y\": \"ab\"}", "abc ab000")]
    [InlineData("{n:+d} [{n: d}] {m:+}", "{\"n\": 42, \"m\": -7}", "+42 [ 42] -7")]
    [InlineData("[{n:=+8d}] {n:05} {n:0>5}", "{\"n\": -42}", "[-     42] -0042 00-42")]
    [InlineData("{n:08.3f}", "{\"n\": -3.14159}", "-003.142")]
    [InlineData("{n:,} {n:_} {n:010,}", "{\"n\": 1234567}", "1,234,567 1_234_567 01,234,567")]
    [InlineData("{n:08,} {f:,.2f}", "{\"n\": 1234, \"f\": 1234567.891}", "0,001,234 1,234,567.89")]
    [InlineData("{n:x} {n:X} {n:_b}", "{\"n\": 3054}", "bee BEE 1011_1110_1110")]
    [InlineData("{n:#x} {n:#o} {n:#b} {n:#010x}", "{\"n\": 255}", "0xff 0o377 0b11111111 0x000000ff")]
    [InlineData("{n:c}{m:c}", "{\"n\": 72, \"m\": 105}", "Hi")]
    [InlineData("{n:.2f} {n:e} {n:%}", "{\"n\": 3}", "3.00 3.000000e+00 300.000000%")]
    [InlineData("{x:e} {x:.2E}", "{\"x\": 12345.678}", "1.234568e+04 1.23E+04")]
    [InlineData("{x:g} {y:g} {z:g}", "{\"x\": 1234567.0, \"y\": 0.0001, \"z\": 0.00001}", "1.23457e+06 0.0001 1e-05")]
    [InlineData("{x:.3g} {x:#.3g} {x:.2}", "{\"x\": 3.0}", "3 3.00 3.0")]
    [InlineData("{x:.2} {y:.3} {z:.3}", "{\"x\": 1234.5, \"y\": 3.14159, \"z\": 100.0}", "1.2e+03 3.14 1e+02")]
    [InlineData("{x:.1%}", "{\"x\": 0.256}", "25.6%")]
    [InlineData("{x:.2f} {y:.2f} {z:.0f}", "{\"x\": 2.675, \"y\": 0.125, \"z\": 2.5}", "2.67 0.12 2")]
    [InlineData("{x:.1f} {x:z.1f}", "{\"x\": -0.04}", "-0.0 0.0")]
    [InlineData("{a} {b} {c} {d} {e}", "{\"a\": 21.5, \"b\": 1.0, \"c\": 1e16, \"d\": 0.00001, \"e\": 12345678901234567890}", "21.5 1.0 1e+16 1e-05 12345678901234567890")]
    [InlineData("[{x:10}]", "{\"x\": 1.5}", "[       1.5]")]
    [InlineData("{t} {f} {n} [{t:>5}] {t:d}", "{\"t\": true, \"f\": false, \"n\": null}", "True False None [    1] 1")]
    [InlineData("{d}", "{\"d\": {\"a\": 1, \"b\": [1, \"x\"], \"c\": null, \"e\": true, \"s\": \"it's\"}}", "{'a': 1, 'b': [1, 'x'], 'c': None, 'e': True, 's': \"it's\"}")]
    [InlineData("{d!j}", "{\"d\": {\"a\": 1, \"b\": [1, \"x\"], \"c\": null, \"e\": true}}", "{\"a\": 1, \"b\": [1, \"x\"], \"c\": null, \"e\": true}")]
    [InlineData("{s!j} {s}", "{\"s\": \"Räuber ⚽\"}", "\"R\\u00e4uber \\u26bd\" Räuber ⚽")]
    [InlineData("{s!r} {s!s} {s!a}", "{\"s\": \"Räuber\"}", "'Räuber' Räuber 'R\\xe4uber'")]
    [InlineData("[{s!j:>8}]", "{\"s\": \"ab\"}", "[    \"ab\"]")]
    [InlineData("{ENERGY[Total]} kWh", "{\"ENERGY\": {\"Total\": 12.5, \"Today\": 0.3}}", "12.5 kWh")]
    [InlineData("{zones[0]}/{zones[1]} {zones[0][0]}", "{\"zones\": [\"lawn\", \"porch\"]}", "lawn/porch l")]
    [InlineData("{event.label} in {event.zones[0]}", "{\"event\": {\"label\": \"person\", \"zones\": [\"lawn\"]}}", "person in lawn")]
    [InlineData("{{literal}} {x}", "{\"x\": 5}", "{literal} 5")]
    [InlineData("[{x:>{w}}]", "{\"x\": \"ab\", \"w\": 5}", "[   ab]")]
    [InlineData("{n:n} {f:n}", "{\"n\": 1234567, \"f\": 1234.5}", "1234567 1234.5")]
    [InlineData("{my-key} {my key}", "{\"my-key\": \"a\", \"my key\": \"b\"}", "a b")]
    public void Spec_example_renders_as_in_python(string format, string json, string expected) =>
        Assert.Equal(expected, PyFormatter.Instance.Format(format, FormattingData.FromJson(json)));

    [Theory]
    [InlineData("{x:.2f}", "{\"x\": \"5\", \"y\": 5.0, \"z\": null}")] // ValueError: Unknown format code 'f' for object of type 'str'
    [InlineData("{y:d}", "{\"x\": \"5\", \"y\": 5.0, \"z\": null}")] // ValueError: Unknown format code 'd' for object of type 'float'
    [InlineData("{z:>6}", "{\"x\": \"5\", \"y\": 5.0, \"z\": null}")] // TypeError: unsupported format string passed to NoneType.__format__
    [InlineData("{x:,x}", "{\"x\": 255}")] // ValueError: Cannot specify ',' with 'x'.
    [InlineData("{missing}", "{\"x\": 255}")] // KeyError: 'missing'
    [InlineData("{0}", "{\"x\": 255}")] // IndexError: tuple index out of range
    [InlineData("total}", "{\"x\": 255}")] // ValueError: Single '}' encountered in format string
    public void Spec_example_that_fails_in_python_throws_a_format_exception(string format, string json) =>
        Assert.Throws<FormatException>(() => PyFormatter.Instance.Format(format, FormattingData.FromJson(json)));
}
