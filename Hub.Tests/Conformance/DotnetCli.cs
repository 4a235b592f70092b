using Hub.Tests.Support;

namespace Hub.Tests.Conformance;

/// <summary>
/// Runs the <c>dotnet</c> CLI as a separate process, the way a plugin author would, without the
/// MSBuild variables of the test run (they would point the child build at the parent's SDK state).
/// </summary>
internal static class DotnetCli
{
    public static Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", arguments, timeout, Repo.Root, start =>
        {
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k is "DOTNET_HOST_PATH").ToList())
            {
                start.Environment.Remove(name);
            }

            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // no build node outlives the test
        });
}
