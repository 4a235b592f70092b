namespace Hub.Functions;

/// <summary>
/// What loading a compiled <c>udf.csx</c> needs besides its image: the class and factory Roslyn generated,
/// and each top-level method with its parameter count and line (for <c>udf.csx:LINE</c> in messages).
/// </summary>
internal sealed record CompiledScript(string EntryType, string EntryMethod, IReadOnlyList<CompiledScriptFunction> Functions);
