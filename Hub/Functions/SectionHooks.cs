using Hub.Functions.Templates;

namespace Hub.Functions;

/// <summary>The functions and template one topic section names, bound once; null where the section uses none.</summary>
internal sealed class SectionHooks(HookContext context)
{
    public HookContext Context { get; } = context;
    public BoundFunction? Filter { get; set; }
    public BoundFunction? Datamap { get; set; }
    public BoundFunction? Alldata { get; set; }
    public BoundFunction? Targets { get; set; }
    public BoundFunction? Format { get; set; }
    public BoundFunction? Title { get; set; }
    public BoundFunction? Priority { get; set; }
    public BoundFunction? Image { get; set; }
    public TemplateRenderer? Template { get; set; }
}
