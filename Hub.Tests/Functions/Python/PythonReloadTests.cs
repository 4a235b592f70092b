using System.Text;
using Hub.Graph;
using Hub.PluginHost;
using Hub.Pipeline;
using Hub.Routing;
using Hub.Tests.Support;

namespace Hub.Tests.Functions.Python;

/// <summary>Hot reload builds a new graph; each build loads the Python modules afresh from their current text.</summary>
public sealed class PythonReloadTests : IDisposable
{
    private readonly PythonFunctionFiles _files = new();

    public void Dispose() => _files.Dispose();

    private HubGraph Build()
    {
        var result = GraphBuilder.Build(Path.Combine(_files.Directory, "hub.ini"), new GraphEnvironment { Loggers = _files.Log });
        return result.Graph ?? throw new InvalidOperationException(string.Join('\n', result.Errors));
    }

    private string Message(HubGraph graph) =>
        Assert.Single(Assert.Single(new MessageRouter(graph.Config, _files.Log, TimeProvider.System).Route("a/b", Encoding.UTF8.GetBytes("x"), false)).Items).Item.Message;

    [Fact]
    public async Task A_changed_udf_py_is_used_by_the_next_build_while_the_running_graph_keeps_its_version()
    {
        _files.Write("svc.py", "def plugin(srv, item):\n    return True\n");
        _files.Write("hub.ini", "[defaults]\nfunctions = udf.py\nlaunch = svc\n[config:svc]\nmodule = svc.py\n[a/#]\ntargets = svc\nformat = message()\n");
        _files.Write("udf.py", "def message(data):\n    return 'v1 ' + data['payload']\n");
        var first = Build();
        _files.Write("udf.py", "def message(data):\n    return 'v2 ' + data['payload']\n");
        var second = Build();

        Assert.Equal("v1 x", Message(first));
        Assert.Equal("v2 x", Message(second));
        var inputs = ReloadInputs.Of(second.Config);
        Assert.Contains(Path.Combine(_files.Directory, "udf.py"), inputs.OwnFiles);
        Assert.Contains(Path.Combine(_files.Directory, "svc.py"), inputs.OwnFiles);
        await first.DisposeAsync(unload: true);
        await second.DisposeAsync(unload: true);
    }
}
