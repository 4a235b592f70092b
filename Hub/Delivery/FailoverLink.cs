namespace Hub.Delivery;

/// <summary>
/// One link of a failover chain as written (<c>SERVICE</c> or <c>SERVICE:TARGET</c>), resolved once, when the graph is
/// built, to the targets it names (a bare service: all its targets; a reference to nothing launched: none). The
/// delivery path follows these references; it never parses the text again.
/// </summary>
public sealed record FailoverLink(string Reference, IReadOnlyList<BoundTarget> Targets);
