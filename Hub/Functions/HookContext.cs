using System.Text;
using Microsoft.Extensions.Logging;

namespace Hub.Functions;

/// <summary>
/// What a user function may use besides its arguments (mqttwarn's <c>srv</c>): the section it runs
/// for, that section's extra options, a logger, and two ways to emit messages. Functions take it as
/// an optional last parameter: <c>bool Filter(string topic, string payload, HookContext ctx)</c>.
/// </summary>
public sealed class HookContext
{
    private readonly FunctionServices _services;

    internal HookContext(string section, IReadOnlyDictionary<string, object?> options, ILogger logger, FunctionServices services)
    {
        Section = section;
        Options = options;
        Logger = logger;
        _services = services;
    }

    /// <summary>The topic section the hook runs for (<c>cron</c> for <c>[cron]</c> jobs).</summary>
    public string Section { get; }

    /// <summary>The section's keys the hub does not use itself, parsed as Python literals where they are one (<c>room = 'kitchen'</c> → <c>kitchen</c>).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; }

    /// <summary>Logs as <c>hub.functions</c>.</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// Publishes on the hub's broker connection. Returns at once; the message is sent in the
    /// background and a failure is logged (under <c>hub test</c> nothing is sent).
    /// </summary>
    public void Publish(string topic, string payload, int qos = 0, bool retain = false) =>
        _services.Publish(topic, Encoding.UTF8.GetBytes(payload ?? ""), qos, retain, Logger);

    /// <summary>
    /// Processes <paramref name="payload"/> as if it had arrived on <paramref name="topic"/>, through
    /// the topic section <paramref name="section"/> only: data, targets, rendering and delivery (no filter).
    /// Unknown section → <see cref="ArgumentException"/>.
    /// </summary>
    public void SendToTargets(string section, string topic, string payload) =>
        _services.SendToTargets(section, topic, payload ?? "");
}
