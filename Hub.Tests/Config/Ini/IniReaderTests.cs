using Hub.Config;
using Hub.Config.Ini;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Ini;

public sealed class IniReaderTests
{
    private static (IniDocument Document, IReadOnlyList<ConfigDiagnostic> Diagnostics) Read(string text)
    {
        var diagnostics = new DiagnosticBag("hub.ini");
        var document = IniReader.Read(text, diagnostics);
        return (document, diagnostics.ToList());
    }

    private static IniEntry Entry(string text, string section, string key)
    {
        var (document, diagnostics) = Read(text);
        Assert.Empty(diagnostics);
        return document.Find(section)!.Find(key)!;
    }

    [Fact]
    public void Sections_and_keys_keep_their_line_numbers()
    {
        var (document, _) = Read("# comment\n[defaults]\nhostname = broker\n\n[config:log]\nmodule = log\n");

        Assert.Equal(["defaults", "config:log"], document.Sections.Select(s => s.Name));
        Assert.Equal(2, document.Sections[0].Line);
        Assert.Equal(3, document.Find("defaults")!.Find("hostname")!.Line);
        Assert.Equal(6, document.Find("config:log")!.Find("module")!.Line);
    }

    [Fact]
    public void A_continuation_line_is_joined_to_its_key()
    {
        var entry = Entry("[s]\ntargets = {\n    'a': 1,\n    'b': 2,\n  }\nnext = x\n", "s", "targets");

        Assert.Equal("{\n'a': 1,\n'b': 2,\n}", entry.Value);
        Assert.Equal([2, 3, 4, 5], entry.ValueLines);
    }

    [Fact]
    public void Comment_lines_between_continuation_lines_are_ignored()
    {
        var entry = Entry("[s]\nk = a\n  # not me\n  ; nor me\n  b\n", "s", "k");

        Assert.Equal("a\nb", entry.Value);
        Assert.Equal([2, 5], entry.ValueLines);
    }

    [Fact]
    public void Blank_lines_inside_a_value_are_kept_and_trailing_ones_dropped()
    {
        var entry = Entry("[s]\nk = a\n\n  b\n\n\n[t]\n", "s", "k");

        Assert.Equal("a\n\nb", entry.Value);
    }

    [Fact]
    public void A_value_starting_on_the_next_line_keeps_its_leading_line_break_as_configparser_does()
    {
        Assert.Equal("\nline1\nline2", Entry("[s]\nformat =\n  line1\n  line2\n", "s", "format").Value);
    }

    [Fact]
    public void A_line_indented_no_deeper_than_its_key_is_a_new_key()
    {
        var (document, _) = Read("[s]\n  a = 1\n  b = 2\n    c\n");

        Assert.Equal("1", document.Find("s")!.Find("a")!.Value);
        Assert.Equal("2\nc", document.Find("s")!.Find("b")!.Value);
    }

    [Theory]
    [InlineData("k = v", "k", "v")]
    [InlineData("k : v", "k", "v")]
    [InlineData("url = http://x:1/?a=b", "url", "http://x:1/?a=b")]
    [InlineData("log:info = x", "log", "info = x")]
    [InlineData("Targets = log", "targets", "log")]
    [InlineData("MyTask =   ", "mytask", "")]
    public void The_first_equals_or_colon_separates_key_and_value_and_keys_are_lower_cased(string line, string key, string value)
    {
        var entry = Entry("[s]\n" + line + "\n", "s", key);

        Assert.Equal(value, entry.Value);
    }

    [Theory]
    [InlineData("[a/+/#]", "a/+/#")]
    [InlineData("[config:log]", "config:log")]
    [InlineData("[Defaults]", "Defaults")]
    [InlineData("[a [b] c] trailing", "a [b] c")]
    [InlineData("  [indented]  ", "indented")]
    [InlineData("[with space]", "with space")]
    public void A_section_name_is_the_text_between_the_first_and_the_last_bracket(string header, string name)
    {
        var (document, diagnostics) = Read(header + "\nk = v\n");

        Assert.Empty(diagnostics);
        Assert.Equal(name, Assert.Single(document.Sections).Name);
    }

    [Fact]
    public void A_byte_order_mark_and_CRLF_line_ends_are_accepted()
    {
        var entry = Entry("\uFEFF[s]\r\nk = a\r\n  b\r\n", "s", "k");

        Assert.Equal("a\nb", entry.Value);
    }

    [Fact]
    public void DEFAULT_is_kept_apart_from_the_sections()
    {
        var (document, _) = Read("[DEFAULT]\nx = 1\n[s]\nk = v\n");

        Assert.Equal(["s"], document.Sections.Select(s => s.Name));
        Assert.Equal("1", document.Defaults!.Find("x")!.Value);
    }

    [Fact]
    public void A_repeated_section_is_an_error_at_both_lines()
    {
        var result = Load(WithLog("[a/b]\ntargets = log\n[a/b]\ntargets = log\n"));

        AssertError(result, 7, "Duplicate section [a/b] (also at line 9)");
        AssertError(result, 9, "Duplicate section [a/b] (also at line 7)");
    }

    [Fact]
    public void A_repeated_key_is_an_error_at_both_lines_also_when_only_the_case_differs()
    {
        var result = Load(WithLog("[a/b]\ntargets = log\nTargets = log\n"));

        AssertError(result, 8, "Duplicate key 'targets' (also at line 9)");
        AssertError(result, 9, "Duplicate key 'targets' (also at line 8)");
    }

    [Fact]
    public void A_key_before_the_first_header_is_an_error()
    {
        var diagnostic = SingleError(Load("hostname = x\n[defaults]\n"));

        Assert.Equal(1, diagnostic.Location.Line);
        Assert.Contains("before the first [section] header", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_without_separator_is_an_error()
    {
        AssertError(Load(WithLog("[a/b]\ntargets = log\njust words\n")), 9, "Invalid line: just words");
    }

    [Fact]
    public void A_closing_brace_in_column_zero_is_an_error_with_a_hint()
    {
        var result = Load("[defaults]\nlaunch = log\n[config:log]\ntargets = {\n    'info': ['info'],\n}\n");

        AssertError(result, 6, "must be indented");
    }

    [Fact]
    public void All_reader_errors_are_reported_at_once()
    {
        var result = Load("orphan = 1\n[s]\nbad line\n[s]\n");

        Assert.Equal([1, 2, 3, 4], result.Errors.Select(e => e.Location.Line).Order());
    }

    [Fact]
    public void The_continuation_of_a_rejected_line_is_not_read_as_keys()
    {
        var result = Load(WithLog("[a/b]\ntargets = log\ntargets = {\n   'x': 'y',\n   'z': 'w' }\n"));

        Assert.Equal(2, result.Errors.Count());
    }
}
