namespace Hub.Functions.Templates;

/// <summary>A problem found in a template file when it is compiled: its 1-based line, the message, and whether it stops the hub.</summary>
internal sealed record TemplateProblem(int Line, string Message, bool IsError = true);
