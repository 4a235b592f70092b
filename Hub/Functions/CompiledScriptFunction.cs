namespace Hub.Functions;

/// <summary>One top-level method of a compiled script.</summary>
internal sealed record CompiledScriptFunction(string Name, int ParameterCount, int Line);
