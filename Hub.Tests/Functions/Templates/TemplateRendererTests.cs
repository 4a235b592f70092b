using Hub.Functions.Templates;

namespace Hub.Tests.Functions.Templates;

public sealed class TemplateRendererTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 14, 5, 9, TimeSpan.Zero);
    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Render(string text, string payload = """{"room": "cellar", "temp": 21.0, "ok": true}""", string topic = "home/cellar/temp")
    {
        var template = _files.Load("t.j2", text);
        Assert.True(template.Problem is null, template.Problem + ": " + string.Join("; ", template.Problems));
        return template.Render(TemplateFiles.Data(topic, payload, Now));
    }

    [Fact]
    public void The_variables_mqttwarn_passes_are_available_by_name()
    {
        var output = Render("{{ topic }}|{{ payload }}|{{ _dtepoch }}|{{ _dtiso }}|{{ _ltiso }}|{{ _dthhmm }}|{{ _dthhmmss }}|{{ room }}");

        Assert.Equal(
            """home/cellar/temp|{"room": "cellar", "temp": 21.0, "ok": true}|1796652309|2026-12-07T14:05:09.000000Z|2026-12-07T14:05:09|14:05|14:05:09|cellar""",
            output);
    }

    [Fact]
    public void Values_print_as_python_prints_them_as_jinja2_did_in_mqttwarn()
    {
        var output = Render(
            "{{ temp }} {{ ok }} {{ n }} [{{ missing }}] {{ list }} {{ obj }}",
            """{"temp": 21.0, "ok": true, "n": 7, "list": [1, "a", null], "obj": {"a": 1.5}}""");

        Assert.Equal("21.0 True 7 [] [1, 'a', None] {'a': 1.5}", output);
    }

    [Fact]
    public void Members_and_items_of_nested_json_are_reached_with_dots_and_brackets()
    {
        var output = Render("{{ sensor.name }} {{ sensor['unit'] }} {{ readings[1] }} {{ readings | size }}", """{"sensor": {"name": "t1", "unit": "C"}, "readings": [3, 4]}""");

        Assert.Equal("t1 C 4 2", output);
    }

    [Theory]
    [InlineData(30.5, "hot")]
    [InlineData(21.0, "warm")]
    [InlineData(5.0, "cold")]
    public void If_elsif_and_else_choose_by_the_data(double temp, string expected)
    {
        var output = Render("{% if temp > 25 %}hot{% elsif temp > 10 %}warm{% else %}cold{% endif %}", $$"""{"temp": {{temp.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""");

        Assert.Equal(expected, output);
    }

    [Fact]
    public void For_loops_over_a_list_with_forloop_and_over_an_object_as_key_value_pairs()
    {
        var output = Render(
            "{% for r in rooms %}{{ forloop.index }}={{ r }}{% unless forloop.last %},{% endunless %}{% endfor %};{% for p in temps %}{{ p.key }}:{{ p.value }} {% endfor %}",
            """{"rooms": ["cellar", "attic"], "temps": {"cellar": 12.5, "attic": 30}}""");

        Assert.Equal("1=cellar,2=attic;cellar:12.5 attic:30 ", output);
    }

    [Fact]
    public void Liquid_filters_and_the_jinja2_names_of_common_filters_work()
    {
        var output = Render(
            "{{ room | upcase }} {{ room | upper }} {{ room | capitalize }} {{ 'big hall' | title }} {{ temp | round: 1 }} {{ nothing | default: 'n/a' }} {{ '42' | int | plus: 1 }} {{ '2.5' | float }} {{ rooms | join: ', ' }} {{ rooms | length }}",
            """{"room": "cellar", "temp": 21.456, "rooms": ["a", "b"]}""");

        Assert.Equal("CELLAR CELLAR Cellar Big Hall 21.5 n/a 43 2.5 a, b 2", output);
    }

    [Fact]
    public void Jsonify_writes_a_value_as_json_as_mqttwarn_does()
    {
        var output = Render("{{ obj | jsonify }} {{ room | jsonify }}", """{"room": "kök", "obj": {"a": [1, 2.5, true, null]}}""");

        Assert.Equal("""{"a": [1, 2.5, true, null]} "k\u00f6k" """.TrimEnd(), output);
    }

    [Fact]
    public void A_block_tag_on_its_own_line_leaves_no_empty_line_as_jinja2_trim_blocks()
    {
        var output = Render("Rooms:\n{% for r in rooms %}\n- {{ r }}\n{% endfor %}\nend {{ room }}\n!", """{"room": "x", "rooms": ["a", "b"]}""");

        Assert.Equal("Rooms:\n- a\n- b\nend x\n!", output);
    }

    [Fact]
    public void A_template_is_compiled_once_per_path_and_content()
    {
        var path = _files.PathOf("cached.j2");

        var first = TemplateCompiler.Compile(path, "{{ a }}");
        var again = TemplateCompiler.Compile(path, "{{ a }}");
        var changed = TemplateCompiler.Compile(path, "{{ b }}");

        Assert.Same(first, again);
        Assert.NotSame(first, changed);
        Assert.Same(changed, TemplateCompiler.Compile(path, "{{ b }}"));
    }

    [Fact]
    public void A_loop_over_more_than_100000_items_fails_with_the_file_and_position()
    {
        var template = _files.Load("loop.j2", "line 1\n{% for i in (1..100001) %}{% endfor %}");

        var error = Assert.ThrowsAny<Exception>(() => template.Render(TemplateFiles.Data("t", """{"n": 5}""", Now)));

        Assert.Contains("loop.j2(2,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_problem_without_a_path()
    {
        var template = TemplateRenderer.Load("nosuch.j2", _files.Directory);

        Assert.Null(template.Path);
        Assert.Contains("templates/nosuch.j2 not found", template.Problem, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => template.Render(new Dictionary<string, object?>()));
    }
}
