using Hub.Cli;

namespace Hub;

/// <summary>The composition root: everything else starts from the command line.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliContext.Console);
}
