namespace Hub.Cli;

/// <summary>Where command output goes (the console, or a test's writers), and the <c>--plugins</c> directories when given.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error)
{
    public static CliContext Console => new(System.Console.Out, System.Console.Error);

    /// <summary>Plugin directories from <c>--plugins</c>; they replace <c>plugins =</c> of <c>[defaults]</c>.</summary>
    public IReadOnlyList<string> PluginDirectories { get; init; } = [];
}
