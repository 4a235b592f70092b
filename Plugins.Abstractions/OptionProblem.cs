namespace Hub.Plugins;

/// <summary>One invalid option, reported at the line of its key (or of the section when <see cref="Key"/> is null).</summary>
public sealed class OptionProblem
{
    /// <summary>Creates a problem.</summary>
    /// <param name="key">The INI key the problem is about (as in <c>[config:NAME]</c>), or <see langword="null"/> for the whole section.</param>
    /// <param name="message">What is wrong, e.g. <c>must be greater than min_interval</c>.</param>
    public OptionProblem(string? key, string message)
    {
        Key = key;
        Message = message;
    }

    /// <summary>The INI key, or <see langword="null"/> for the whole section.</summary>
    public string? Key { get; }

    /// <summary>What is wrong.</summary>
    public string Message { get; }

    /// <summary>The key and the message, as the host prints them.</summary>
    public override string ToString() => Key is null ? Message : $"{Key}: {Message}";
}
