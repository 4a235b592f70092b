using System.Reflection;
using System.Text;

namespace Hub.Tests.Abstractions;

/// <summary>
/// Renders an assembly's public API as C#-like text, one declaration per line, sorted, so the
/// approved file diffs cleanly: types with their base types, constructors, properties (with
/// accessors), methods, fields and events, with nullable annotations.
/// </summary>
internal static class PublicApi
{
    private static readonly NullabilityInfoContext Nullability = new();

    public static string Render(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(TypeHeader(type)).Append('\n');
            foreach (var line in Members(type).Order(StringComparer.Ordinal))
            {
                text.Append("    ").Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string TypeHeader(Type type)
    {
        var kind = type.IsInterface ? "interface"
            : type.IsEnum ? "enum"
            : type.IsValueType ? "struct"
            : typeof(Delegate).IsAssignableFrom(type) ? "delegate"
            : type.IsAbstract && type.IsSealed ? "static class"
            : type.IsSealed ? "sealed class"
            : type.IsAbstract ? "abstract class"
            : "class";
        var bases = new List<string>();
        if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            bases.Add(Name(b));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic).Select(Name).Order(StringComparer.Ordinal));
        var attributes = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.IsPublic && a.AttributeType.Namespace != "System.Runtime.CompilerServices")
            .Select(a => $"[{Name(a.AttributeType)}({string.Join(", ", a.ConstructorArguments.Select(x => x.ToString()).Concat(a.NamedArguments.Select(n => $"{n.MemberName} = {n.TypedValue}")))})] ");
        return $"{string.Concat(attributes)}public {kind} {type.FullName}{(bases.Count == 0 ? "" : " : " + string.Join(", ", bases))}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var constructor in type.GetConstructors(flags))
        {
            yield return $"{(constructor.IsStatic ? "static " : "")}ctor({Parameters(constructor)})";
        }

        foreach (var property in type.GetProperties(flags))
        {
            var accessors = new List<string>();
            if (property.GetMethod is { IsPublic: true })
            {
                accessors.Add("get;");
            }

            if (property.SetMethod is { IsPublic: true } setter)
            {
                var isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
                accessors.Add(isInit ? "init;" : "set;");
            }

            var required = property.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute)) ? "required " : "";
            var isStatic = (property.GetMethod ?? property.SetMethod)!.IsStatic ? "static " : "";
            var isDefault = type.IsInterface && property.GetMethod is { IsAbstract: false } ? "(default) " : "";
            yield return $"{isDefault}{isStatic}{required}{Name(property.PropertyType, Nullability.Create(property))} {property.Name} {{ {string.Join(" ", accessors)} }}";
        }

        foreach (var method in type.GetMethods(flags).Where(m => !m.IsSpecialName))
        {
            var isStatic = method.IsStatic ? "static " : "";
            var isDefault = type.IsInterface && !method.IsAbstract && !method.IsStatic ? "(default) " : "";
            var generic = method.IsGenericMethodDefinition ? $"<{string.Join(", ", method.GetGenericArguments().Select(a => a.Name))}>" : "";
            yield return $"{isDefault}{isStatic}{Name(method.ReturnType, Nullability.Create(method.ReturnParameter))} {method.Name}{generic}({Parameters(method)})";
        }

        foreach (var field in type.GetFields(flags).Where(f => !f.IsSpecialName))
        {
            var modifier = field.IsLiteral ? "const " : field.IsStatic ? (field.IsInitOnly ? "static readonly " : "static ") : field.IsInitOnly ? "readonly " : "";
            var value = field.IsLiteral ? $" = {field.GetRawConstantValue()}" : "";
            yield return $"{modifier}{Name(field.FieldType, Nullability.Create(field))} {field.Name}{value}";
        }

        foreach (var @event in type.GetEvents(flags))
        {
            yield return $"event {Name(@event.EventHandlerType!)} {@event.Name}";
        }
    }

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p =>
            $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "")}{Name(p.ParameterType, Nullability.Create(p))} {p.Name}{(p.HasDefaultValue ? $" = {p.DefaultValue ?? "default"}" : "")}"));

    private static string Name(Type type) => Name(type, null);

    private static string Name(Type type, NullabilityInfo? nullability)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!, nullability?.ElementType ?? nullability);
        }

        var suffix = nullability is { ReadState: NullabilityState.Nullable } && !type.IsValueType ? "?" : "";
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!, nullability?.ElementType) + "[]" + suffix;
        }

        if (type.IsGenericParameter)
        {
            return type.Name + suffix;
        }

        var name = type.Namespace is "System" or "System.Collections.Generic" or "System.Threading" or "System.Threading.Tasks" or "Hub.Plugins"
            ? type.Name
            : type.FullName ?? type.Name;
        if (!type.IsGenericType)
        {
            return name + suffix;
        }

        var arguments = type.GetGenericArguments();
        var argumentNullability = nullability?.GenericTypeArguments;
        var rendered = arguments.Select((a, i) => Name(a, argumentNullability is { } n && i < n.Length ? n[i] : null));
        var baseName = name[..name.IndexOf('`', StringComparison.Ordinal)];
        return $"{baseName}<{string.Join(", ", rendered)}>{suffix}";
    }
}
