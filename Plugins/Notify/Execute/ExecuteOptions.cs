namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>execute</c> plugin (<c>[config:NAME]</c>).</summary>
public sealed class ExecuteOptions : IValidatableOptions
{
    [Option(Description = "the placeholder replaced by the message in every argument")]
    public string TextReplace { get; set; } = "[TEXT]";

    public IEnumerable<OptionProblem> Validate()
    {
        if (TextReplace.Length == 0)
        {
            yield return new OptionProblem("text_replace", "must not be empty");
        }
    }
}
