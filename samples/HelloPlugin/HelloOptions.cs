using Hub.Plugins;

namespace HelloPlugin;

/// <summary>Options of the <c>hello</c> plugin, bound from <c>[config:NAME]</c>.</summary>
public sealed class HelloOptions : IValidatableOptions
{
    [Option(Description = "the file each greeting is appended to (relative to the config file)", Required = true)]
    public string Path { get; set; } = "";

    [Option(Description = "the word before each message")]
    public string Greeting { get; set; } = "Hello";

    [Option(Description = "write the line in upper case")]
    public bool Shout { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Greeting))
        {
            yield return new OptionProblem("greeting", "must not be empty");
        }
    }
}
