namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>rrdtool</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class RrdtoolOptions : IValidatableOptions
{
    [Option(Description = "the rrdtool program: a name looked up in PATH, or a path")]
    public string Program { get; set; } = "rrdtool";

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Program))
        {
            yield return new OptionProblem("program", "must not be empty");
        }
    }
}
