namespace Hub.Functions;

/// <summary>
/// A user function that binds itself to a hook instead of by its CLR method's shape (a Python function: its
/// arguments follow mqttwarn's signatures). <see cref="BoundFunction.Bind"/> defers to it.
/// </summary>
internal interface IBindableFunction
{
    /// <summary>The bound function, or null with the reason when it cannot serve <paramref name="kind"/>.</summary>
    BoundFunction? Bind(HookKind kind, out string? problem);
}
