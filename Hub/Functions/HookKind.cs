namespace Hub.Functions;

/// <summary>The places <c>hub.ini</c> can name a user function; each expects its own parameter shape.</summary>
internal enum HookKind
{
    /// <summary><c>bool F(string topic, string payload)</c>; true suppresses.</summary>
    Filter,
    /// <summary><c>IDictionary&lt;string, object?&gt;? F(string topic, IDictionary&lt;string, object?&gt; data)</c>.</summary>
    Datamap,
    /// <summary>Same shape as <see cref="Datamap"/>.</summary>
    Alldata,
    /// <summary><c>IEnumerable&lt;string&gt; F(string topic, IDictionary&lt;string, object?&gt; data)</c>.</summary>
    Targets,
    /// <summary><c>object? F(IDictionary&lt;string, object?&gt; data)</c>: format, title, priority, image.</summary>
    Value,
    /// <summary><c>void F()</c> or <c>Task F()</c>.</summary>
    Cron,
}
