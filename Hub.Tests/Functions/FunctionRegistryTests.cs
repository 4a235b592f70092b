using Hub.Functions;

namespace Hub.Tests.Functions;

public sealed class FunctionRegistryTests
{
    private static FunctionRegistry Exports()
    {
        var registry = new FunctionRegistry();
        registry.AddExports(typeof(ExportedFunctions).Assembly, "Hub.Tests.dll");
        return registry;
    }

    [Fact]
    public void Exported_functions_are_found_by_their_attribute_name_or_method_name()
    {
        var registry = Exports();

        Assert.Equal("Shout", registry.Resolve("shout", out _)!.Method.Name);
        Assert.Equal("Quiet", registry.Resolve("Quiet", out _)!.Method.Name);
    }

    [Fact]
    public void A_name_matches_case_insensitively_when_the_match_is_unique()
    {
        var function = Exports().Resolve("SHOUT", out var problem);

        Assert.Null(problem);
        Assert.Equal("shout", function!.Name);
    }

    [Fact]
    public void An_exact_match_wins_over_case_insensitive_ones_and_two_inexact_ones_are_ambiguous()
    {
        var registry = Exports();

        Assert.Equal("TwinLower", registry.Resolve("twin", out _)!.Method.Name);
        Assert.Null(registry.Resolve("TWIN", out var problem));
        Assert.Equal("function TWIN() is ambiguous: Twin() (Hub.Tests.dll), twin() (Hub.Tests.dll)", problem);
    }

    [Fact]
    public void An_unknown_name_lists_the_defined_functions()
    {
        var registry = new FunctionRegistry();
        registry.Add(new UserFunction("a", typeof(ExportedFunctions).GetMethod("Shout")!, null, "udf.csx:1"));

        Assert.Null(registry.Resolve("b", out var problem));
        Assert.Equal("function b() is not defined (defined: a())", problem);
        Assert.Null(new FunctionRegistry().Resolve("b", out problem));
        Assert.Equal("function b() is not defined (no user functions are loaded: set functions = udf.csx or udf.py in [defaults])", problem);
    }

    [Fact]
    public void The_first_source_keeps_a_name_so_plugin_exports_win_over_the_script()
    {
        var registry = Exports();
        registry.Add(new UserFunction("shout", typeof(ExportedFunctions).GetMethod("Quiet")!, null, "udf.csx:3"));

        Assert.Equal("Hub.Tests.dll", registry.Resolve("shout", out _)!.Origin);
    }
}
