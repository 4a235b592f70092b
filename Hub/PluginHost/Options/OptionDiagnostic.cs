namespace Hub.PluginHost.Options;

/// <summary>A problem found while binding options: the key it concerns (null for the whole section), the message, error or warning.</summary>
public sealed record OptionDiagnostic(string? Key, string Message, bool IsError = true)
{
    public override string ToString() => Key is null ? Message : $"option '{Key}': {Message}";
}
