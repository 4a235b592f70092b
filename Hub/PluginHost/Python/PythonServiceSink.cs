using System.Text;
using Hub.Config;
using Hub.Functions;
using Hub.Functions.Python;
using Hub.Plugins;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace Hub.PluginHost.Python;

/// <summary>
/// A custom mqttwarn service module (<c>[config:NAME] module = myservice.py</c>, a file defining <c>plugin(srv, item)</c>)
/// as a sink. <c>item</c> carries what mqttwarn's does; a true result means delivered, anything else (False, None, an
/// exception) failed, and the host's retries, failover, journal and dead letters take over as for any sink. The call
/// runs on a pool thread with the GIL; when the host gives up on an attempt, the Python code is interrupted.
/// </summary>
internal sealed class PythonServiceSink : ISink
{
    private readonly PyObject _plugin;
    private readonly PyObject _srv;
    private readonly string _origin;

    private PythonServiceSink(PyObject plugin, PyObject srv, string origin)
    {
        _plugin = plugin;
        _srv = srv;
        _origin = origin;
    }

    /// <summary>Loads the module and checks its <c>plugin(srv, item)</c>; null after adding the errors when it cannot serve.</summary>
    public static PythonServiceSink? Create(HubConfig config, ServiceConfig service, ILoggerFactory loggers, IMessagePublisher? publisher, List<ConfigDiagnostic> errors)
    {
        var at = service.LocationOf("module");
        var problems = new List<PythonModules.Problem>();
        var module = PythonModules.Load(service.Module, config.Directory, config.Defaults.Python, problems);
        foreach (var problem in problems)
        {
            errors.Add(new ConfigDiagnostic(problem.File is { } file ? new SourceLocation(file, problem.Line) : at, $"[config:{service.Name}]: {problem.Message}"));
        }

        if (module is null)
        {
            return null;
        }

        var fileName = Path.GetFileName(PythonModules.FileOf(module, service.Module));
        if (PythonModules.Functions(module).FirstOrDefault(f => f.Name == "plugin") is not { Callable: { } plugin } found)
        {
            errors.Add(new ConfigDiagnostic(at, $"[config:{service.Name}]: the Python service module {fileName} defines no plugin(srv, item)"));
            return null;
        }

        var origin = $"{fileName}:{found.Line}";
        if (!Fits(plugin))
        {
            errors.Add(new ConfigDiagnostic(at, $"[config:{service.Name}]: plugin() ({origin}) does not take the arguments mqttwarn passes: {PythonCallForm.Plugin}"));
            return null;
        }

        var srv = PythonModules.Srv($"hub.plugin.{service.Name}", new PythonLogSink(loggers),
            new PythonPublishSink(new FunctionServices(publisher), loggers.CreateLogger($"hub.plugin.{service.Name}")));
        return new PythonServiceSink(plugin, srv, origin);
    }

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var delivered = await Task.Run(() => PythonCall.Run(() => Invoke(item), cancellationToken), CancellationToken.None)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!delivered)
        {
            throw new TransientDeliveryException($"plugin() ({_origin}) returned a false value: not delivered");
        }
    }

    private bool Invoke(DeliveryItem item)
    {
        using var make = PythonBridge.Module.GetAttr("make_item");
        using var fields = PythonValues.ToPython(Fields(item));
        using var pythonItem = make.Invoke(fields);
        using var result = _plugin.Invoke(_srv, pythonItem);
        return result.IsTrue();
    }

    /// <summary>mqttwarn's item (§6.7): payload and message as bytes when the service has <c>decode_utf8 = False</c>.</summary>
    private static OrderedDictionary<string, object?> Fields(DeliveryItem item) => new(StringComparer.Ordinal)
    {
        ["service"] = item.Service,
        ["section"] = item.Section,
        ["target"] = item.Target,
        ["config"] = item.Config,
        ["addrs"] = item.Addrs,
        ["topic"] = item.Topic,
        ["payload"] = item.IsBinary ? item.Payload.ToArray() : Encoding.UTF8.GetString(item.Payload.Span),
        ["data"] = item.Data,
        ["title"] = item.Title,
        ["image"] = item.Image,
        ["message"] = item.IsBinary ? item.MessageBytes.ToArray() : item.Message,
        ["priority"] = (long)item.Priority,
    };

    private static bool Fits(PyObject plugin)
    {
        using (Py.GIL())
        {
            using var fits = PythonBridge.Module.GetAttr("fits");
            using var count = new PyInt(2);
            using var names = new PyList();
            using var answer = fits.Invoke(plugin, count, names);
            return answer.As<int>() != 0;
        }
    }
}
