using Scriban;

namespace Hub.Functions.Templates;

/// <summary>A template file's text, its parsed Liquid template and what compiling it found.</summary>
internal sealed record CompiledTemplate(string Text, Template Template, IReadOnlyList<TemplateProblem> Problems);
