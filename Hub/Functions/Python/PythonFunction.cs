using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// One callable of a Python functions module, bound to a hook with mqttwarn's signatures (§6.8 of the compat
/// reference): the first call form its signature accepts is used; when the signature cannot be read (a builtin),
/// the forms are tried in mqttwarn's order, the next one after a <c>TypeError</c>.
/// </summary>
internal sealed class PythonFunction : IBindableFunction
{
    private readonly PyObject _callable;
    private readonly Lazy<PyObject> _srv;

    /// <param name="srv">mqttwarn's <c>srv</c> for this function, made on first use.</param>
    public PythonFunction(string name, PyObject callable, Lazy<PyObject> srv, string origin)
    {
        Name = name;
        _callable = callable;
        _srv = srv;
        Origin = origin;
    }

    public string Name { get; }

    /// <summary><c>udf.py:12</c>.</summary>
    public string Origin { get; }

    public BoundFunction? Bind(HookKind kind, out string? problem)
    {
        var forms = PythonCallForm.For(kind);
        var (chosen, signature) = Choose(forms);
        if (chosen.Count == 0)
        {
            problem = $"{Name}{signature} ({Origin}) does not take the arguments of the {BoundFunction.Describe(kind)} hook: mqttwarn calls it as {string.Join(" or ", forms)}";
            return null;
        }

        problem = null;
        _ = _srv.Value;
        return BoundFunction.FromCall(Name, (arguments, context, cancellation) => Call(kind, chosen, arguments, context, cancellation));
    }

    /// <summary>The forms to use: the first that fits, or all of them (tried in turn) when the signature is unknown; none when none fits.</summary>
    private (IReadOnlyList<PythonCallForm> Forms, string Signature) Choose(IReadOnlyList<PythonCallForm> forms)
    {
        using (Py.GIL())
        {
            using var fits = PythonBridge.Module.GetAttr("fits");
            using var describe = PythonBridge.Module.GetAttr("signature");
            using var text = describe.Invoke(_callable);
            var unknown = false;
            foreach (var form in forms)
            {
                using var count = new PyInt(form.Keywords ? 0 : form.Names.Count);
                using var names = new PyList(form.Keywords ? form.Names.Select(n => (PyObject)new PyString(n)).ToArray() : []);
                using var answer = fits.Invoke(_callable, count, names);
                switch (answer.As<int>())
                {
                    case 1:
                        return ([form], text.As<string>());
                    case -1:
                        unknown = true;
                        break;
                }
            }

            return (unknown ? forms : [], text.As<string>());
        }
    }

    private object? Call(HookKind kind, IReadOnlyList<PythonCallForm> forms, object?[] arguments, HookContext context, CancellationToken cancellation) =>
        PythonCall.Run(() =>
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    return Invoke(forms[i], Values(kind, arguments, context));
                }
                catch (PythonException ex) when (i + 1 < forms.Count && ex.Type.Name == "TypeError")
                {
                    // mqttwarn's fallback: the next (legacy) signature after a TypeError.
                }
            }
        }, cancellation);

    private object? Invoke(PythonCallForm form, Dictionary<string, object?> values)
    {
        var srv = _srv.Value;
        var converted = form.Names.Select(n => n == "srv" ? srv : PythonValues.ToPython(values[n])).ToArray();
        try
        {
            if (form.Keywords)
            {
                using var keywords = new PyDict();
                for (var i = 0; i < form.Names.Count; i++)
                {
                    keywords[form.Names[i]] = converted[i];
                }

                using var result = _callable.Invoke(Array.Empty<PyObject>(), keywords);
                return PythonValues.FromPython(result);
            }

            using var positional = _callable.Invoke(converted);
            return PythonValues.FromPython(positional);
        }
        finally
        {
            foreach (var value in converted.Where(v => !ReferenceEquals(v, srv)))
            {
                value.Dispose();
            }
        }
    }

    /// <summary>What the router passes (see <see cref="BoundFunction"/>'s C# shapes), by mqttwarn's argument names.</summary>
    private static Dictionary<string, object?> Values(HookKind kind, object?[] arguments, HookContext context) => kind switch
    {
        HookKind.Filter => new() { ["topic"] = arguments[0], ["message"] = arguments[1], ["section"] = context.Section },
        HookKind.Datamap or HookKind.Alldata or HookKind.Targets => new() { ["topic"] = arguments[0], ["data"] = arguments[1] },
        HookKind.Value => new() { ["data"] = arguments[0] },
        _ => [],
    };
}
