namespace Hub.Graph;

/// <summary>One link of a failover chain as written (<c>SERVICE</c> or <c>SERVICE:TARGET</c>), resolved to the targets it names.</summary>
internal sealed record FailoverLink(string Reference, IReadOnlyList<BoundTarget> Targets);
