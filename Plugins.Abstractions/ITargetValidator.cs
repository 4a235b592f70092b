namespace Hub.Plugins;

/// <summary>
/// Optional capability of a sink: checks each target descriptor of its <c>[config:NAME]</c> section
/// when the configuration loads, so a wrong shape is reported with the file and line.
/// </summary>
public interface ITargetValidator
{
    /// <summary>Returns one message per problem with the descriptor; none when it is valid.</summary>
    /// <param name="targetName">The target name, or <see langword="null"/> for the single unnamed target.</param>
    /// <param name="descriptor">The descriptor as parsed from the INI (see <see cref="DeliveryItem.Addrs"/>).</param>
    IEnumerable<string> ValidateTarget(string? targetName, object? descriptor);
}
