namespace Hub.Config;

/// <summary>The <c>targets =</c> of a topic section.</summary>
public abstract record TargetSpec;
