namespace Hub.Cli;

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A delivery or connection failed.</summary>
    public const int Failure = 1;
    /// <summary>The configuration or the command line is invalid.</summary>
    public const int ConfigError = 2;
}
