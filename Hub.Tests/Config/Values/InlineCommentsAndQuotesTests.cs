using Hub.Config.Values;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Values;

public sealed class InlineCommentsAndQuotesTests
{
    [Theory]
    [InlineData("'localhost'  ; default", "'localhost'")]
    [InlineData("localhost ; default", "localhost")]
    [InlineData("a;b", "a;b")]
    [InlineData("'a ; b'", "'a ; b'")]
    [InlineData("\"a ; b\" ; c", "\"a ; b\"")]
    [InlineData("'''x\n ; y''' ; z", "'''x\n ; y'''")]
    [InlineData("{\n'a': 1,  ; one\n'b': 2  ; two\n}", "{\n'a': 1,\n'b': 2\n}")]
    [InlineData("x  # it's fine\ny ; gone", "x  # it's fine\ny")]
    [InlineData(@"'a\' ; b'", @"'a\' ; b'")]
    public void A_semicolon_after_whitespace_outside_quotes_starts_a_comment(string value, string expected) =>
        Assert.Equal(expected, InlineComments.Remove(value));

    [Theory]
    [InlineData("'{name}: {number}'", "{name}: {number}")]
    [InlineData("\"Alarm\"", "Alarm")]
    [InlineData("'a' and 'b'", "'a' and 'b'")]
    [InlineData("'a\"", "'a\"")]
    [InlineData("'", "'")]
    [InlineData("''", "")]
    [InlineData("Alarm", "Alarm")]
    public void One_pair_of_matching_quotes_is_stripped_when_the_quote_occurs_nowhere_else(string value, string expected) =>
        Assert.Equal(expected, QuoteStripping.Strip(value));

    [Fact]
    public void Inline_comments_apply_to_defaults_and_service_sections()
    {
        var config = LoadValid("[defaults]\nhostname = 'localhost'  ; default\nport = 1884 ; not std\nlaunch = log ; only one\n"
            + "[config:log]\ntargets = {'info': ['info']}  ; the only target\nlevel = 'x ; y' ; z\n");

        Assert.Equal("localhost", config.Defaults.Hostname);
        Assert.Equal(1884, config.Defaults.Port);
        Assert.Equal(["log"], config.Defaults.Launch);
        Assert.Equal("info", Assert.Single(config.Services[0].Targets).Name);
        Assert.Equal("x ; y", config.Services[0].Options["level"]);
    }

    [Fact]
    public void Topic_sections_keep_semicolons_and_lose_one_pair_of_quotes()
    {
        var section = LoadValid(WithLog("[a/b]\ntargets = log\nformat = '{a} ; {b}'\ntitle = \"Alarm\"\nnote = 'x' and 'y'\n")).Sections[0];

        Assert.Equal("{a} ; {b}", section.Format);
        Assert.Equal("Alarm", section.Title);
        Assert.Equal("'x' and 'y'", section.Extra["note"]);
    }
}
