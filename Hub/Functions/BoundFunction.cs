using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Hub.Functions;

/// <summary>
/// A user function checked against the shape of the hook that names it. Calls run on the thread
/// pool under a timeout, so a hanging function fails that call instead of stalling routing.
/// </summary>
internal sealed class BoundFunction
{
    private readonly MethodInfo _method;
    private readonly object? _target;
    private readonly ContextParameter _context;
    private readonly Func<object?[], HookContext, CancellationToken, object?>? _call;

    private BoundFunction(string name, MethodInfo method, object? target, ContextParameter context)
    {
        Name = name;
        _method = method;
        _target = target;
        _context = context;
    }

    private BoundFunction(string name, Func<object?[], HookContext, CancellationToken, object?> call)
        : this(name, call.Method, null, ContextParameter.None) => _call = call;

    private enum ContextParameter { None, Hook, Logger }

    public string Name { get; }

    /// <summary>The bound function, or null with the reason when the method's shape does not fit <paramref name="kind"/>.</summary>
    public static BoundFunction? Bind(UserFunction function, HookKind kind, out string? problem)
    {
        if (function.Target is IBindableFunction bindable)
        {
            return bindable.Bind(kind, out problem);
        }

        var method = function.Method;
        var parameters = method.GetParameters();
        var context = ContextParameter.None;
        var count = parameters.Length;
        if (count > 0 && IsContext(parameters[^1].ParameterType, out var contextKind) && count > Expected(kind).Length)
        {
            context = contextKind;
            count--;
        }

        var expected = Expected(kind);
        var fits = count == expected.Length
            && parameters.Take(count).Select(p => p.ParameterType).Zip(expected).All(pair => pair.First.IsAssignableFrom(pair.Second))
            && ReturnFits(method.ReturnType, kind);
        problem = fits ? null : $"{function.Name}() ({function.Origin}) does not fit the {Describe(kind)} hook: expected {Signature(kind)}";
        return fits ? new BoundFunction(function.Name, method, function.Target, context) : null;
    }

    /// <summary>Calls the function and waits at most <paramref name="timeout"/>, blocking the caller (off the message path only); the function's own exception is rethrown.</summary>
    public object? Invoke(object?[] arguments, HookContext context, TimeSpan timeout, TimeProvider time) =>
        InvokeAsync(arguments, context, timeout, time).GetAwaiter().GetResult();

    /// <summary>
    /// Calls the function on the thread pool and awaits it at most <paramref name="timeout"/> from its start (the route worker is not
    /// blocked meanwhile); the function's own exception is rethrown.
    /// </summary>
    public async Task<object?> InvokeAsync(object?[] arguments, HookContext context, TimeSpan timeout, TimeProvider time)
    {
        // Cancelled when the caller gives up, so a function that can be interrupted (Python) frees its thread.
        var abandoned = new CancellationTokenSource();
        // The clock starts when the function does: time spent waiting for a pool thread (a busy machine, many callers
        // blocking at once) is not the function's.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = Task.Run(() =>
        {
            started.TrySetResult();
            return InvokeAsync(arguments, context, abandoned.Token);
        });
        try
        {
            await started.Task.ConfigureAwait(false);
            return await call.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await abandoned.CancelAsync().ConfigureAwait(false);
            throw new TimeoutException($"{Name}() did not return within {timeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>A function called through a delegate (<see cref="IBindableFunction"/>): arguments as the router passes them, the context, and a cancellation for a call that is given up.</summary>
    internal static BoundFunction FromCall(string name, Func<object?[], HookContext, CancellationToken, object?> call) => new(name, call);

    /// <summary>Calls the function; a returned task is awaited and its result returned.</summary>
    public Task<object?> InvokeAsync(object?[] arguments, HookContext context) => InvokeAsync(arguments, context, CancellationToken.None);

    private async Task<object?> InvokeAsync(object?[] arguments, HookContext context, CancellationToken abandoned)
    {
        object? result;
        try
        {
            result = _call is not null ? _call(arguments, context, abandoned) : _method.Invoke(_target, WithContext(arguments, context));
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }

        if (result is not Task task)
        {
            return result;
        }

        await task.ConfigureAwait(false);
        var type = task.GetType();
        return type.IsGenericType && type.GetProperty(nameof(Task<object>.Result)) is { } property && property.PropertyType.Name != "VoidTaskResult"
            ? property.GetValue(task)
            : null;
    }

    private object?[] WithContext(object?[] arguments, HookContext context) => _context switch
    {
        ContextParameter.Hook => [.. arguments, context],
        ContextParameter.Logger => [.. arguments, context.Logger],
        _ => arguments,
    };

    private static bool IsContext(Type type, out ContextParameter kind)
    {
        kind = type == typeof(ILogger) ? ContextParameter.Logger
            : type.IsAssignableFrom(typeof(HookContext)) ? ContextParameter.Hook
            : ContextParameter.None;
        return kind != ContextParameter.None;
    }

    private static Type[] Expected(HookKind kind) => kind switch
    {
        HookKind.Filter => [typeof(string), typeof(string)],
        HookKind.Datamap or HookKind.Alldata or HookKind.Targets => [typeof(string), typeof(OrderedDictionary<string, object?>)],
        HookKind.Value => [typeof(OrderedDictionary<string, object?>)],
        _ => [],
    };

    private static bool ReturnFits(Type type, HookKind kind)
    {
        var result = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>) ? type.GetGenericArguments()[0] : type;
        return kind switch
        {
            HookKind.Filter => result == typeof(bool),
            HookKind.Cron => true,
            _ => result != typeof(void) && result != typeof(Task),
        };
    }

    /// <summary>The hook's name in messages: <c>filter</c>, <c>format/title/priority/image</c>, <c>[cron]</c>.</summary>
    internal static string Describe(HookKind kind) => kind switch
    {
        HookKind.Value => "format/title/priority/image",
        HookKind.Cron => "[cron]",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The documented C# shape of each hook.</summary>
    public static string Signature(HookKind kind) => kind switch
    {
        HookKind.Filter => "bool F(string topic, string payload[, HookContext ctx])",
        HookKind.Datamap or HookKind.Alldata => "IDictionary<string, object?>? F(string topic, IDictionary<string, object?> data[, HookContext ctx])",
        HookKind.Targets => "IEnumerable<string> F(string topic, IDictionary<string, object?> data[, HookContext ctx])",
        HookKind.Value => "object? F(IDictionary<string, object?> data[, HookContext ctx])",
        _ => "void F([HookContext ctx]) or Task F([HookContext ctx])",
    };
}
