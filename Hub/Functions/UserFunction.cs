using System.Reflection;

namespace Hub.Functions;

/// <summary>A function <c>hub.ini</c> can name: a method of the <c>functions =</c> script or a <c>[HubFunction]</c> export of a plugin.</summary>
/// <param name="Name">The name as declared.</param>
/// <param name="Method">The method.</param>
/// <param name="Target">The script instance for script methods; null for static methods.</param>
/// <param name="Origin">Where it comes from, for messages: <c>udf.csx:12</c> or a plugin assembly path.</param>
internal sealed record UserFunction(string Name, MethodInfo Method, object? Target, string Origin);
