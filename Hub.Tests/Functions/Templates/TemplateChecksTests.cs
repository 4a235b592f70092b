using Hub.Functions.Templates;

namespace Hub.Tests.Functions.Templates;

public sealed class TemplateChecksTests : IDisposable
{
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void An_unclosed_block_is_an_error_at_its_line()
    {
        var template = _files.Load("t.j2", "one\ntwo\n{% if x %}three");

        var problem = Assert.Single(template.Problems);
        Assert.True(problem.IsError);
        Assert.Equal(3, problem.Line);
        Assert.NotNull(template.Problem);
    }

    [Fact]
    public void Jinja2_elif_is_an_error_at_load_with_the_liquid_spelling()
    {
        var template = _files.Load("t.j2", "{% if a %}\nA\n{% elif b %}\nB\n{% endif %}");

        var problem = Assert.Single(template.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Contains("unknown filter or tag 'elif'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("{% elsif … %}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jinja2_set_is_an_error_with_the_liquid_spelling()
    {
        var template = _files.Load("t.j2", "x\n{% set upname = name | upper %}\n{{ upname }}");

        Assert.Contains(template.Problems, p => p.IsError && p.Line == 2 && p.Message.Contains("{% assign name = value %}", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_filter_is_an_error_at_load_not_on_the_first_message()
    {
        var template = _files.Load("t.j2", "{{ a }}\n{{ a | shout }}");

        var problem = Assert.Single(template.Problems);
        Assert.Equal((2, true), (problem.Line, problem.IsError));
        Assert.Contains("'shout'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jinja2_comments_and_loop_are_warnings_because_they_may_be_meant()
    {
        var template = _files.Load("t.j2", "{# note #}\n{% for x in xs %}{{ loop.index }}{% endfor %}");

        Assert.Null(template.Problem);
        Assert.Equal([(1, false), (2, false)], template.Problems.Select(p => (p.Line, p.IsError)));
        Assert.Contains("{% comment %}", template.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("forloop", template.Problems[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ name if ok else 'x' }}")]
    [InlineData("{% if 'b' in list %}in{% endif %}")]
    [InlineData("{% if name is defined %}d{% endif %}")]
    public void Jinja2_expressions_liquid_reads_as_calls_are_errors_at_load(string text)
    {
        var template = _files.Load("t.j2", text);

        var problem = Assert.Single(template.Problems);
        Assert.True(problem.IsError);
        Assert.Contains("read as calls in Liquid", problem.Message, StringComparison.Ordinal);
    }
}
