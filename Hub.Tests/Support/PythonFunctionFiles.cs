using Hub.Config;
using Hub.Functions;
using Hub.PluginHost;

namespace Hub.Tests.Support;

/// <summary>A hub.ini with a <c>udf.py</c> (and other files) in a temporary directory, loaded and bound like <c>hub run</c> does.</summary>
internal sealed class PythonFunctionFiles : IDisposable
{
    /// <summary>Lines 1–6: defaults with <c>functions = udf.py</c> and a <c>log</c> service; sections start at line 7.</summary>
    public const string Header = "[defaults]\nfunctions = udf.py\nlaunch = log\nplugin_timeout = 5\n[config:log]\ntargets = {'info': ['info'], 'warn': ['warn']}\n";

    private readonly TempDirectory _temp = new();

    public string Directory => _temp.Path;

    public CollectingLogger Log { get; } = new();

    /// <summary>Receives what <c>srv.mqttc.publish</c> sends.</summary>
    public TestPluginContext Broker { get; } = new();

    public PythonFunctionFiles Write(string name, string text)
    {
        var path = _temp.File(name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    /// <summary>Loads and binds; returns the config (null on load errors) and every error.</summary>
    public (HubConfig? Config, IReadOnlyList<ConfigDiagnostic> Errors) Load(string ini)
    {
        var result = ConfigLoader.Load(_temp.Write("hub.ini", ini));
        if (result.Config is null)
        {
            return (null, result.Errors.ToList());
        }

        return (result.Config, FunctionBinder.Bind(result.Config, [], Log, Broker));
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
