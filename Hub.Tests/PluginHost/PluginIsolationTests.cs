using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Hub.PluginHost;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost;

/// <summary>One fixture plugin per property of the loader.</summary>
public sealed class PluginIsolationTests
{
    [Fact]
    public void A_plugins_contract_types_are_the_hosts_types()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureIdentity");
        Assert.True(catalog.TryGet("fixture_identity", out var descriptor));

        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(descriptor.Type.Assembly));
        var contract = descriptor.Type.GetInterfaces().Single(i => i.Name == nameof(ISink));
        Assert.Same(typeof(ISink), contract);
        Assert.IsAssignableFrom<ISink>(FixturePlugins.Create<object>(catalog, "fixture_identity"));
        Assert.Equal(PluginKinds.Sink, descriptor.Kinds);
    }

    [Fact]
    public async Task Two_plugins_each_use_their_own_version_of_the_same_library()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureJsonOld", "FixtureJsonNew");
        Assert.Empty(catalog.Errors);

        var old = await FixturePlugins.Create<IMessageTransform>(catalog, "fixture_json_old").TransformAsync(FixturePlugins.Message(), default);
        var @new = await FixturePlugins.Create<IMessageTransform>(catalog, "fixture_json_new").TransformAsync(FixturePlugins.Message(), default);

        Assert.Equal("12.0.0.0", old!["newtonsoft"]);
        Assert.Equal("13.0.0.0", @new!["newtonsoft"]);
        Assert.Equal("\"fixtures/test\"", old["json"]);
        Assert.Equal("\"fixtures/test\"", @new["json"]);
        // The test host itself has Newtonsoft.Json 13.0.0.0 in the default context: the plugins' own copies still win.
    }

    [Fact]
    public async Task A_native_library_in_the_plugin_folder_is_found()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureNative");

        var data = await FixturePlugins.Create<IMessageTransform>(catalog, "fixture_native").TransformAsync(FixturePlugins.Message(), default);

        Assert.Equal(21L * 2 + 0x2A00, data!["native"]);
    }

    [Fact]
    public void A_plugin_whose_dependency_is_missing_is_reported_with_its_path_and_the_others_load()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureBroken", "FixtureIdentity");

        Assert.False(catalog.TryGet("fixture_broken", out _));
        var error = Assert.Single(catalog.Errors);
        Assert.EndsWith(Path.Combine("FixtureBroken", "FixtureBroken.dll"), error.Path);
        Assert.Contains("Newtonsoft.Json", error.Reason);
        Assert.True(catalog.TryGet("fixture_identity", out _));
    }

    [Fact]
    public void Stage_plugins_are_discovered_with_their_kinds()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureFilter", "FixtureTransform", "FixtureLineSink");

        Assert.Empty(catalog.Errors);
        Assert.True(catalog.TryGet("fixture_filter", out var filter));
        Assert.True(catalog.TryGet("fixture_transform", out var transform));
        Assert.True(catalog.TryGet("fixture_lines", out var sink));
        Assert.Equal(PluginKinds.Filter, filter.Kinds);
        Assert.Equal(PluginKinds.Transform, transform.Kinds);
        Assert.Equal(PluginKinds.Sink, sink.Kinds);
        Assert.Equal("filter", PluginKindsOf.Describe(filter.Kinds));
    }

    [Fact]
    public void The_installed_files_can_be_replaced_while_the_plugin_is_loaded()
    {
        using var temp = new TempDirectory();
        var catalog = FixturePlugins.Catalog(temp, "FixtureIdentity");
        Assert.True(catalog.TryGet("fixture_identity", out var descriptor));

        Assert.StartsWith(Path.Combine(temp.Path, "plugins"), descriptor.AssemblyPath);
        Assert.NotEqual(descriptor.AssemblyPath, descriptor.Type.Assembly.Location);
        File.WriteAllText(descriptor.AssemblyPath, "overwritten while loaded");
        Assert.IsAssignableFrom<ISink>(FixturePlugins.Create<object>(catalog, "fixture_identity"));
    }

    [Fact]
    public void An_unloaded_plugin_context_is_collected()
    {
        using var temp = new TempDirectory();
        var plugins = FixturePlugins.Install(temp.Path, "FixtureIdentity");

        var context = LoadUseAndUnload(plugins);

        for (var i = 0; i < 20 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive, "the unloaded plugin context is still referenced");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadUseAndUnload(string plugins)
    {
        var catalog = PluginCatalog.Discover([plugins]);
        var sink = FixturePlugins.Create<ISink>(catalog, "fixture_identity");
        sink.SendAsync(new DeliveryItem { Service = "s", Section = "t", Topic = "t", Message = "m" }, default).AsTask().Wait();
        catalog.TryGet("fixture_identity", out var descriptor);
        var context = new WeakReference(AssemblyLoadContext.GetLoadContext(descriptor.Type.Assembly));
        catalog.Unload();
        return context;
    }
}
