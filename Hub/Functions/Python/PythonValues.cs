using System.Collections;
using System.Globalization;
using System.Numerics;
using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// Values across the boundary, as mqttwarn's functions expect them: text ↔ <c>str</c>, integers ↔ <c>int</c>, floats ↔
/// <c>float</c>, booleans ↔ <c>bool</c>, null ↔ <c>None</c>, bytes ↔ <c>bytes</c>, objects ↔ <c>dict</c> (in order), lists ↔
/// <c>list</c> (a tuple or set comes back as a list). Any other Python value comes back as its <c>str()</c>. Call with the GIL held.
/// </summary>
internal static class PythonValues
{
    private static PyObject? _true;
    private static PyObject? _false;
    private static PyObject? _fromHex;
    private static PyObject? _bytesType;
    private static PyObject? _setTypes;

    /// <summary>Caches the few builtins the conversions compare against (with the GIL, once).</summary>
    public static void Start()
    {
        using var builtins = Py.Import("builtins");
        _true = PythonEngine.Eval("True");
        _false = PythonEngine.Eval("False");
        _bytesType = builtins.GetAttr("bytes");
        _fromHex = _bytesType.GetAttr("fromhex");
        _setTypes = PythonEngine.Eval("(set, frozenset)");
    }

    /// <summary>A new Python object for <paramref name="value"/>.</summary>
    public static PyObject ToPython(object? value)
    {
        switch (value)
        {
            case null:
                return PyObject.FromManagedObject(null!);
            case string text:
                return new PyString(text);
            case bool flag:
                return PyObject.FromManagedObject(flag);
            case long number:
                return new PyInt(number);
            case int number:
                return new PyInt(number);
            case double number:
                return new PyFloat(number);
            case BigInteger big:
                return new PyInt(big.ToString(CultureInfo.InvariantCulture));
            case byte[] bytes:
                return Bytes(bytes);
            case ReadOnlyMemory<byte> memory:
                return Bytes(memory.ToArray());
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                var dict = new PyDict();
                foreach (var (key, item) in pairs)
                {
                    using var converted = ToPython(item);
                    dict[key] = converted;
                }

                return dict;
            case IDictionary map:
                var other = new PyDict();
                foreach (DictionaryEntry entry in map)
                {
                    using var converted = ToPython(entry.Value);
                    other[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? ""] = converted;
                }

                return other;
            case IEnumerable items:
                var list = new PyList();
                foreach (var item in items)
                {
                    using var converted = ToPython(item);
                    list.Append(converted);
                }

                return list;
            default:
                return new PyString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        }
    }

    /// <summary>The CLR value of <paramref name="value"/> in the hub's data model.</summary>
    public static object? FromPython(PyObject value)
    {
        if (value.IsNone())
        {
            return null;
        }

        if (PythonReferenceComparer.Instance.Equals(value, _true))
        {
            return true;
        }

        if (PythonReferenceComparer.Instance.Equals(value, _false))
        {
            return false;
        }

        if (PyString.IsStringType(value))
        {
            return value.As<string>();
        }

        if (PyInt.IsIntType(value))
        {
            using var integer = new PyInt(value);
            try
            {
                return integer.ToInt64();
            }
            catch (Exception ex) when (ex is PythonException or OverflowException or InvalidCastException)
            {
                return BigInteger.Parse(integer.ToString() ?? "0", CultureInfo.InvariantCulture);
            }
        }

        if (PyFloat.IsFloatType(value))
        {
            return value.As<double>();
        }

        if (PyDict.IsDictType(value))
        {
            var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
            using var dict = new PyDict(value);
            using var keys = dict.Keys();
            foreach (var key in keys)
            {
                using (key)
                {
                    using var item = dict[key];
                    result[key.ToString() ?? ""] = FromPython(item);
                }
            }

            return result;
        }

        if (value.IsInstance(_bytesType!))
        {
            using var hex = value.InvokeMethod("hex");
            return Convert.FromHexString(hex.As<string>());
        }

        if (PyList.IsListType(value) || PyTuple.IsTupleType(value) || value.IsInstance(_setTypes!))
        {
            var list = new List<object?>();
            using var iterator = new PyIterable(value);
            foreach (var item in iterator)
            {
                using (item)
                {
                    list.Add(FromPython(item));
                }
            }

            return list;
        }

        return value.ToString();
    }

    private static PyObject Bytes(byte[] bytes)
    {
        using var hex = new PyString(Convert.ToHexString(bytes));
        return _fromHex!.Invoke(hex);
    }
}
