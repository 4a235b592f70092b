using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Abstractions;

public sealed class PublicApiTests
{
    private static string ApprovedPath => Path.Combine(Repo.Root, "Hub.Tests", "Abstractions", "PublicApi.approved.txt");
    private static string ReceivedPath => Path.Combine(Repo.Root, "Hub.Tests", "Abstractions", "PublicApi.received.txt");

    [Fact]
    public void The_public_API_of_Plugins_Abstractions_is_the_approved_one()
    {
        var received = PublicApi.Render(typeof(ISink).Assembly);
        var approved = File.Exists(ApprovedPath) ? File.ReadAllText(ApprovedPath).ReplaceLineEndings("\n") : "";
        if (received == approved)
        {
            File.Delete(ReceivedPath);
            return;
        }

        File.WriteAllText(ReceivedPath, received);
        Assert.Fail(
            $"""
            The public API of Hub.Plugins.Abstractions differs from the approved one.
            Every plugin author compiles against it: change it on purpose only, and bump the package version
            for a breaking change (see docs/plugins.md, "Versioning").
            Compare:  diff {ApprovedPath} {ReceivedPath}
            Approve:  mv {ReceivedPath} {ApprovedPath}
            """);
    }

    [Fact]
    public void The_rendering_is_stable_across_calls() =>
        Assert.Equal(PublicApi.Render(typeof(ISink).Assembly), PublicApi.Render(typeof(ISink).Assembly));
}
