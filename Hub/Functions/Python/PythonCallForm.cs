namespace Hub.Functions.Python;

/// <summary>One way mqttwarn calls a hook's function: positional arguments by name, or keywords.</summary>
/// <param name="Names">The arguments in order, as mqttwarn names them (<c>topic</c>, <c>data</c>, <c>srv</c>…).</param>
/// <param name="Keywords">True when passed as keywords (<c>targets</c> functions: <c>f(topic=, data=, srv=)</c>).</param>
internal sealed record PythonCallForm(IReadOnlyList<string> Names, bool Keywords = false)
{
    /// <summary>The forms mqttwarn tries for <paramref name="kind"/>, in its order (a later one after a <c>TypeError</c>).</summary>
    public static IReadOnlyList<PythonCallForm> For(HookKind kind) => kind switch
    {
        HookKind.Filter => [new(["topic", "message", "section", "srv"]), new(["topic", "message"])],
        HookKind.Datamap or HookKind.Value => [new(["data", "srv"]), new(["data"])],
        HookKind.Alldata => [new(["topic", "data", "srv"])],
        HookKind.Targets => [new(["topic", "data", "srv"], Keywords: true)],
        _ => [new(["srv"])],
    };

    /// <summary>A service module's <c>plugin(srv, item)</c>.</summary>
    public static PythonCallForm Plugin { get; } = new(["srv", "item"]);

    /// <summary><c>f(topic, message, section, srv)</c> or <c>f(topic=, data=, srv=)</c>.</summary>
    public override string ToString() => Keywords
        ? $"f({string.Join(", ", Names.Select(n => n + "="))})"
        : $"f({string.Join(", ", Names)})";
}
