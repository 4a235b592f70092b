using Hub.Config;
using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.Functions;

/// <summary>A hub.ini with a <c>udf.csx</c> and templates in a temporary directory, loaded and bound like <c>hub run</c> does.</summary>
internal sealed class FunctionFiles : IDisposable
{
    /// <summary>Line 1–6: defaults with <c>functions = udf.csx</c> and a <c>log</c> service; sections start at line 7.</summary>
    public const string Header = "[defaults]\nfunctions = udf.csx\nlaunch = log\nplugin_timeout = 5\n[config:log]\ntargets = {'info': ['info'], 'warn': ['warn']}\n";

    private readonly TempDirectory _temp = new();

    public string Directory => _temp.Path;

    public CollectingLogger Log { get; } = new();

    public FunctionFiles Script(string code)
    {
        _temp.Write("udf.csx", code);
        return this;
    }

    public FunctionFiles Template(string name, string text)
    {
        System.IO.Directory.CreateDirectory(_temp.File("templates"));
        _temp.Write(Path.Combine("templates", name), text);
        return this;
    }

    /// <summary>Loads (compiling the script) without binding.</summary>
    public ConfigLoadResult LoadOnly(string ini) => ConfigLoader.Load(_temp.Write("hub.ini", ini));

    /// <summary>Loads and binds; returns the config (null on load errors) and every error.</summary>
    public (HubConfig? Config, IReadOnlyList<ConfigDiagnostic> Errors) Load(string ini)
    {
        var result = LoadOnly(ini);
        if (result.Config is null)
        {
            return (null, result.Errors.ToList());
        }

        return (result.Config, FunctionBinder.Bind(result.Config, [], Log, publisher: null));
    }

    /// <summary>Loads and binds a configuration that must have no errors.</summary>
    public HubConfig LoadValid(string ini)
    {
        var (config, errors) = Load(ini);
        Assert.True(config is not null && errors.Count == 0, "Unexpected errors:\n" + string.Join('\n', errors));
        return config!;
    }

    public void Dispose() => _temp.Dispose();
}
