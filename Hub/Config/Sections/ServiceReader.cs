using Hub.Config.Ini;
using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary>Reads one <c>[config:NAME]</c> section (path L) into a <see cref="ServiceConfig"/>.</summary>
internal static class ServiceReader
{
    public const string SectionPrefix = "config:";

    public static ServiceConfig Read(IniSection section, string configDirectory, DiagnosticBag diagnostics)
    {
        var reader = new OptionReader(diagnostics, section.Name);
        var name = section.Name[SectionPrefix.Length..];
        if (name.Length == 0 || name.IndexOfAny([':', ',', '{', '}']) >= 0)
        {
            reader.Error(section.Line, $"Service instance name '{name}' must be non-empty and must not contain ':', ',', '{{' or '}}'");
        }

        var location = new SourceLocation(diagnostics.File, section.Line);
        var module = name;
        var decodeUtf8 = true;
        IReadOnlyList<ServiceTarget> targets = [new ServiceTarget(null, new List<object?>(), location)];
        var options = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        var optionLocations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var entry in section.Entries)
        {
            var value = PythonLiteral.ParseOrText(entry.Value);
            optionLocations[entry.Key] = new SourceLocation(diagnostics.File, entry.Line);
            switch (entry.Key)
            {
                case "module":
                    module = Module(entry, value, reader, configDirectory) ?? module;
                    break;
                case "targets":
                    targets = Targets(entry, value, reader);
                    break;
                case "decode_utf8":
                    decodeUtf8 = reader.Bool(entry, value) ?? decodeUtf8;
                    options[entry.Key] = value;
                    break;
                default:
                    options[entry.Key] = value;
                    break;
            }
        }

        return new ServiceConfig
        {
            Name = name,
            Module = module,
            DecodeUtf8 = decodeUtf8,
            Options = options,
            Targets = targets,
            Location = location,
            OptionLocations = optionLocations,
        };
    }

    private static string? Module(IniEntry entry, object? value, OptionReader reader, string configDirectory)
    {
        var module = OptionReader.Text(entry, value)?.Trim();
        if (string.IsNullOrEmpty(module))
        {
            return null;
        }

        if (module.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return ConfigPaths.Resolve(module, configDirectory);
        }

        // A .py file or a dotted Python module (mqttwarn's own plugin mechanism): runs in the embedded Python (Hub/Functions/Python).
        if (PythonModuleName.IsPython(module))
        {
            return PythonModuleName.Resolve(module, configDirectory);
        }

        if (module.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            reader.Error(entry.Line, $"'module' must be a built-in plugin name, the path of a hub plugin .dll or a Python service module (.py or a dotted module name), not '{module}'");
            return null;
        }

        return module;
    }

    private static List<ServiceTarget> Targets(IniEntry entry, object? value, OptionReader reader)
    {
        if (value is not OrderedDictionary<string, object?> dict)
        {
            var hint = value is string ? " (it is not a valid literal: a stray comment, a missing comma or quote?)" : "";
            reader.Error(entry.Line, $"'targets' must be a dict of target name to descriptor, e.g. {{'info': ['info']}}{hint}");
            return [];
        }

        // Each target is located at the line of its key (the targets line if the value was reshaped by variables).
        PythonLiteralParser.TryParse(entry.Value, out _, out var keyOffsets);
        var lineAt = entry.LineLookup();
        return dict
            .Select(pair => new ServiceTarget(pair.Key, pair.Value, new SourceLocation(reader.File, keyOffsets.TryGetValue(pair.Key, out var offset) ? lineAt(offset) : entry.Line)))
            .ToList();
    }
}
