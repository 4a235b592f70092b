namespace Hub.Config;

/// <summary>A user function that returns the references (<c>pick()</c>).</summary>
public sealed record TargetFunction(string FunctionName) : TargetSpec;
