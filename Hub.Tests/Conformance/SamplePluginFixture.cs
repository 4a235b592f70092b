using Hub.Tests.Support;

namespace Hub.Tests.Conformance;

/// <summary>
/// Packs Hub.Plugins.Abstractions into artifacts/packages, builds samples/HelloPlugin against that
/// package (not the project) as a separate <c>dotnet build</c>, and installs the output in a plugin
/// directory of its own, once for the test class. Takes about a minute on a small machine.
/// </summary>
public sealed class SamplePluginFixture : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);

    public TempDirectory Temp { get; } = new();

    /// <summary>A plugin directory holding only <c>HelloPlugin/HelloPlugin.dll</c>.</summary>
    public string PluginDirectory => Path.Combine(Temp.Path, "plugins");

    public string AssemblyPath => Path.Combine(PluginDirectory, "HelloPlugin", "HelloPlugin.dll");

    public async Task InitializeAsync()
    {
        var packages = Path.Combine(Repo.Root, "artifacts", "packages");
        var pack = await DotnetCli.RunAsync(BuildTimeout, "pack", Path.Combine(Repo.Root, "Plugins.Abstractions"), "-c", "Release", "-o", packages, "-v", "q", "-nologo");
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed: {pack}");

        // The samples restore into a package folder of their own (samples/NuGet.config); drop the
        // previous copy of the contract package so this build uses the one just packed.
        var cached = Path.Combine(Repo.Root, "artifacts", "samples", "packages", "hub.plugins.abstractions");
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
        }

        var output = Path.Combine(PluginDirectory, "HelloPlugin");
        var build = await DotnetCli.RunAsync(BuildTimeout, "build", Path.Combine(Repo.Root, "samples", "HelloPlugin"), "-c", "Release", "-o", output, "-v", "q", "-nologo");
        Assert.True(build.ExitCode == 0, $"dotnet build of the sample failed: {build}");
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}
