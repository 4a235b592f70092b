namespace Hub.Plugins;

/// <summary>
/// Optional capability of a sink: turns each target descriptor of its <c>[config:NAME]</c> section into the plugin's
/// own typed target, once, when the host builds the configuration's graph (at start-up, on every reload, and for
/// <c>hub check</c>). The host hands the result back on every item as <see cref="DeliveryItem.Bound"/>, so
/// <see cref="ISink.SendAsync"/> never parses a descriptor again.
/// </summary>
/// <remarks>
/// A sink with a binder needs no <see cref="ITargetValidator"/>: a descriptor of the wrong shape is a
/// <see cref="FormatException"/> thrown here, reported by <c>hub check</c> and <c>hub run</c> as
/// <c>FILE:LINE: [config:NAME] target 'T': message</c> at the target's line. When a sink has both, the host binds and
/// does not validate.
/// </remarks>
public interface ITargetBinder
{
    /// <summary>Parses one target descriptor into the object the sink delivers to (never null).</summary>
    /// <param name="targetName">The target name, or <see langword="null"/> for the single unnamed target.</param>
    /// <param name="descriptor">The descriptor as parsed from the INI (the values listed on <see cref="DeliveryItem"/>).</param>
    /// <returns>The bound target: immutable, shared by every item (and every thread) that goes to this target.</returns>
    /// <exception cref="FormatException">The descriptor has the wrong shape; the message says what is wrong.</exception>
    object BindTarget(string? targetName, object? descriptor);
}
