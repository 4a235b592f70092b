using System.Text;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Smtp;

/// <summary>Creates <c>smtp</c> sinks aimed at a test <see cref="SmtpServer"/>, and mail items.</summary>
internal static class SmtpSinks
{
    public const string Sender = "Hub <hub@example.org>";

    /// <summary>The options for <paramref name="server"/>: its address, TLS mode and CA; <paramref name="extra"/> adds or overrides keys.</summary>
    public static OrderedDictionary<string, object?> Options(SmtpServer server, params (string Key, object? Value)[] extra)
    {
        var options = Some.Dict(("server", server.Server), ("sender", Sender));
        if (server.Tls == SmtpServerTls.StartTls)
        {
            options["starttls"] = true;
        }

        if (server.Tls == SmtpServerTls.Implicit)
        {
            options["implicit_tls"] = true;
        }

        if (server.Ca is { } ca)
        {
            options["ca_certs"] = ca.CertPath;
        }

        foreach (var (key, value) in extra)
        {
            if (value is null)
            {
                options.Remove(key);
            }
            else
            {
                options[key] = value;
            }
        }

        return options;
    }

    public static ISink Create(SmtpServer server, params (string Key, object? Value)[] extra) =>
        BuiltInPlugins.Create("smtp", new TestPluginContext(Options(server, extra)));

    public static DeliveryItem Mail(string message, string title, params string[] recipients) => new()
    {
        Service = "smtp",
        Section = "alerts/#",
        Target = "ops",
        Addrs = Some.List(recipients),
        Topic = "alerts/pump",
        Payload = Encoding.UTF8.GetBytes(message),
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
        Title = title,
    };

    public static ValueTask DisposeAsync(ISink sink) => ((IAsyncDisposable)sink).DisposeAsync();
}
