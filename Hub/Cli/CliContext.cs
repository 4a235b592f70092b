namespace Hub.Cli;

/// <summary>Where command output goes (the console, or a test's writers), and the <c>--plugins</c> directories when given.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error)
{
    public static CliContext Console => new(System.Console.Out, System.Console.Error)
    {
        In = System.Console.In,
        InputIsTerminal = !System.Console.IsInputRedirected,
    };

    /// <summary>Standard input (<c>hub passwd</c> reads a password from it); empty unless given.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>True when standard input is a terminal: <c>hub passwd</c> then prompts without echo instead of reading a line.</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Plugin directories from <c>--plugins</c>; they replace <c>plugins =</c> of <c>[defaults]</c>.</summary>
    public IReadOnlyList<string> PluginDirectories { get; init; } = [];
}
