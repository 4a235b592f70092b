namespace Hub.Plugins;

/// <summary>
/// Optional capability of an options class: checks the bound values as a whole (ranges, options
/// that exclude each other). The host calls it once after binding, when the configuration loads, and
/// reports every problem with the file and line of its key, like any other configuration error.
/// </summary>
/// <remarks>
/// Type conversion (a text where an integer belongs) and required keys are checked by the host before;
/// <see cref="System.ComponentModel.DataAnnotations"/> attributes (<c>[Range]</c>, <c>[RegularExpression]</c>)
/// on the properties are checked too.
/// </remarks>
public interface IValidatableOptions
{
    /// <summary>One problem per invalid value; none when the options are valid.</summary>
    IEnumerable<OptionProblem> Validate();
}
