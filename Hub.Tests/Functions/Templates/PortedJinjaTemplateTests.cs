namespace Hub.Tests.Functions.Templates;

/// <summary>An mqttwarn-style Jinja2 template, its Liquid port (the edits docs/templates.md describes) and what both print.</summary>
public sealed class PortedJinjaTemplateTests : IDisposable
{
    /// <summary>As an mqttwarn user writes it (the style of mqttwarn's own examples).</summary>
    private const string Jinja2 = """
        {#
            Alarm template: one line per reading.
        #}
        {% set upname = name | upper %}
        {% for n in range(0, 20) %}-{% endfor %}

        Name.................: {{ upname }}
        Readings.............: {{ readings | length }}
        {% for r in readings %}
        {{ loop.index }}. {{ r.sensor }}: {{ r.value }}{% if r.value > limit %} (over {{ limit }}){% elif r.value == limit %} (at limit){% endif %}

        {% endfor %}
        Timestamp............: {{ _dthhmm }}
        Data.................: {{ readings[0] | jsonify }}
        """;

    /// <summary>The port: comment, set, range, loop and elif rewritten; every {{ … }} and filter kept as written.</summary>
    private const string Liquid = """
        {% comment %}
            Alarm template: one line per reading.
        {% endcomment %}
        {% assign upname = name | upper %}
        {% for n in (1..20) %}-{% endfor %}

        Name.................: {{ upname }}
        Readings.............: {{ readings | length }}
        {% for r in readings %}
        {{ forloop.index }}. {{ r.sensor }}: {{ r.value }}{% if r.value > limit %} (over {{ limit }}){% elsif r.value == limit %} (at limit){% endif %}

        {% endfor %}
        Timestamp............: {{ _dthhmm }}
        Data.................: {{ readings[0] | jsonify }}
        """;

    /// <summary>What mqttwarn's Jinja2 (trim_blocks, jsonify = json.dumps) prints for the payload below at 14:05 (checked with Jinja2 3.1).</summary>
    private const string Expected = """
        --------------------
        Name.................: BEEHIVE 3
        Readings.............: 3
        1. weight: 41.5 (over 40.0)
        2. temp: 12.0
        3. hum: 40.0 (at limit)
        Timestamp............: 14:05
        Data.................: {"sensor": "weight", "value": 41.5}
        """;

    private const string Payload = """{"name": "beehive 3", "limit": 40.0, "readings": [{"sensor": "weight", "value": 41.5}, {"sensor": "temp", "value": 12.0}, {"sensor": "hum", "value": 40.0}]}""";

    private readonly TemplateFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_jinja2_original_is_refused_at_load_with_a_hint_for_each_jinja_only_construct()
    {
        var template = _files.Load("alarm.j2", Jinja2 + "\n");

        Assert.NotNull(template.Problem);
        Assert.Contains(template.Problems, p => p.IsError && p.Line == 4 && p.Message.Contains("assign", StringComparison.Ordinal));
    }

    [Fact]
    public void The_liquid_port_prints_what_mqttwarn_printed()
    {
        var template = _files.Load("alarm.j2", Liquid + "\n");
        Assert.True(template.Problems.Count == 0, string.Join("; ", template.Problems));

        var output = template.Render(TemplateFiles.Data("hive/3", Payload, new DateTimeOffset(2026, 12, 7, 14, 5, 0, TimeSpan.Zero)));

        Assert.Equal(Expected, output);
    }
}
