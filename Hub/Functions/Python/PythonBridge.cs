using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// The hub's side inside the interpreter: a small Python module (<c>_hub_bridge</c>) that loads user modules,
/// checks signatures, describes exceptions, and builds mqttwarn's <c>srv</c> and service <c>item</c> objects. It
/// is created once, when the interpreter starts; its callables are kept for the process's lifetime.
/// </summary>
internal static class PythonBridge
{
    private const string Source = """
        import importlib, inspect, logging, os, sys, traceback, types

        SCRIPTNAME = 'hub'

        class _HubHandler(logging.Handler):
            def __init__(self, sink):
                logging.Handler.__init__(self, logging.NOTSET)
                self.sink = sink
            def emit(self, record):
                try:
                    self.sink.Write(record.name, record.levelno, self.format(record))
                except Exception:
                    self.handleError(record)

        class MessageInfo:
            # What paho's publish() returns, enough for the usual uses: rc, mid, (rc, mid) unpacking.
            rc = 0
            mid = 0
            def __iter__(self):
                return iter((self.rc, self.mid))
            def __getitem__(self, index):
                return (self.rc, self.mid)[index]
            def is_published(self):
                return True
            def wait_for_publish(self, timeout=None):
                return None

        class HubClient:
            # srv.mqttc: publish() goes out through the hub's own MQTT client; nothing else of paho's client exists.
            def __init__(self, sink):
                self._sink = sink
            def publish(self, topic, payload=None, qos=0, retain=False, properties=None):
                if payload is None:
                    text, binary = '', False
                elif isinstance(payload, (bytes, bytearray, memoryview)):
                    text, binary = bytes(payload).hex(), True
                else:
                    text, binary = str(payload), False
                self._sink.Publish(str(topic), text, binary, int(qos), bool(retain))
                return MessageInfo()

        class Service:
            # mqttwarn's srv: logging, mqttc, SCRIPTNAME. mwcore (mqttwarn's module globals) has no counterpart.
            def __init__(self, logger, mqttc):
                self.logging = logger
                self.mqttc = mqttc
                self.SCRIPTNAME = SCRIPTNAME
            @property
            def mwcore(self):
                raise AttributeError("srv.mwcore (mqttwarn's internals) does not exist in the hub")

        class Item:
            # mqttwarn's service item: attributes, plus get() and asdict() as its older Struct and ProcessorItem had.
            def __init__(self, **fields):
                self.__dict__.update(fields)
            def get(self, key, default=None):
                return self.__dict__.get(key, default)
            def asdict(self):
                return dict(self.__dict__)
            def __repr__(self):
                return 'Item(%r)' % (self.__dict__,)

        class RuntimeContext:
            # Stands in for mqttwarn.context.RuntimeContext in type hints; the hub has no such object.
            pass

        def _install_mqttwarn_names():
            # Functions written for mqttwarn import its types for their hints (from mqttwarn.model import Service).
            # Without mqttwarn installed, those names resolve to the hub's own classes, so the imports still work.
            import importlib.util
            try:
                if importlib.util.find_spec('mqttwarn') is not None:
                    return
            except (ImportError, ValueError):
                pass
            package = types.ModuleType('mqttwarn')
            package.__path__ = []
            model = types.ModuleType('mqttwarn.model')
            model.Service = Service
            model.ProcessorItem = Item
            context = types.ModuleType('mqttwarn.context')
            context.RuntimeContext = RuntimeContext
            package.model, package.context = model, context
            sys.modules.update({'mqttwarn': package, 'mqttwarn.model': model, 'mqttwarn.context': context})

        _install_mqttwarn_names()

        def make_srv(name, log_sink, publish_sink):
            logger = logging.getLogger(name)
            for handler in [h for h in logger.handlers if isinstance(h, _HubHandler)]:
                logger.removeHandler(handler)
            logger.addHandler(_HubHandler(log_sink))
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
            return Service(logger, HubClient(publish_sink))

        def make_item(fields):
            return Item(**fields)

        def load_file(path):
            # Compiled from source on every load (no .pyc beside it): a reload always sees the file as it is.
            name = os.path.splitext(os.path.basename(path))[0]
            folder = os.path.dirname(path)
            if folder not in sys.path:
                sys.path.append(folder)
            with open(path, 'rb') as handle:
                source = handle.read()
            module = types.ModuleType(name)
            module.__file__ = path
            exec(compile(source, path, 'exec', dont_inherit=True), module.__dict__)
            return module

        def load_dotted(name, roots):
            for root in roots:
                if root not in sys.path:
                    sys.path.append(root)
            importlib.invalidate_caches()
            if name in sys.modules:
                return importlib.reload(sys.modules[name])
            return importlib.import_module(name)

        def functions(module):
            found = []
            for name, value in list(vars(module).items()):
                if name.startswith('__') or not callable(value) or inspect.isclass(value) or inspect.ismodule(value):
                    continue
                code = getattr(value, '__code__', None)
                found.append((name, code.co_firstlineno if code is not None else 0))
            return found

        def fits(function, count, names):
            # 1: the call binds; 0: it does not; -1: the signature cannot be read (a builtin): try it like mqttwarn.
            try:
                signature = inspect.signature(function)
            except (TypeError, ValueError):
                return -1
            try:
                signature.bind(*range(count), **dict.fromkeys(names))
                return 1
            except TypeError:
                return 0

        def signature(function):
            try:
                return str(inspect.signature(function))
            except (TypeError, ValueError):
                return '(...)'

        def describe(error, tb):
            # (file, line, function, message): where the traceback ends, or where the syntax error is.
            message = ''.join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]
            if isinstance(error, SyntaxError) and error.filename:
                return (error.filename, error.lineno or 0, '', message)
            frames = traceback.extract_tb(tb) if tb is not None else []
            if not frames:
                return ('', 0, '', message)
            last = frames[-1]
            return (last.filename, last.lineno or 0, last.name, message)
        """;

    private static PyModule? _module;

    /// <summary>The bridge module; the interpreter must have been started.</summary>
    public static PyModule Module => _module ?? throw new InvalidOperationException("the Python interpreter is not started");

    /// <summary>Creates the bridge module (called once by <see cref="PythonRuntime"/>).</summary>
    public static void Start()
    {
        using (Py.GIL())
        {
            var module = PyModule.FromString("_hub_bridge", Source);
            PythonValues.Start();
            _module = module;
        }
    }
}
