namespace Hub.Cli;

/// <summary>Where command output goes (the console, or a test's writers).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error)
{
    public static CliContext Console => new(System.Console.Out, System.Console.Error);
}
