using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>icinga2</c>: posts a passive check result for a host or a service to the Icinga 2
/// API (<c>/v1/actions/process-check-result</c>), its exit status from the priority.
/// </summary>
[Plugin("icinga2", Description = "Submit passive check results to the Icinga 2 API")]
public sealed class Icinga2Sink : ISink, ITargetBinder, IDisposable
{
    private const string Operation = "icinga2 process-check-result";
    private const string Shape = "the target must be [host_name, service_name or None, check_source?]";
    private readonly IPluginContext _context;
    private readonly Icinga2Options _options;
    private readonly HttpClient? _ownClient;

    public Icinga2Sink(IPluginContext context, Icinga2Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _options = options;

        // The host's pooled client verifies against the system store; a private CA or insecure needs its own handler.
        if (options.Cacert is not null || options.Insecure)
        {
            var ca = options.Cacert is null ? null : Path.Combine(context.ConfigDirectory, options.Cacert);
            _ownClient = new HttpClient(Icinga2Api.Handler(ca, options.Insecure), disposeHandler: true);
        }
    }

    public object BindTarget(string? targetName, object? descriptor) => Parse(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var (hostName, serviceName, source) = Descriptor.Bound(item, d => Parse(d) ?? throw new FormatException(Shape), "icinga2");
        var body = Body(hostName, serviceName, source ?? "hub", item.Priority, item.Message);
        var uri = new Uri(Icinga2Api.BaseUri(_options.Host, _options.Port)!, "v1/actions/process-check-result");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = HttpDelivery.Json(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_options.Username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}")));
        }

        string reply;
        try
        {
            using var response = await (_ownClient ?? _context.CreateHttpClient()).SendAsync(request, cancellationToken);
            await HttpDelivery.EnsureSuccessAsync(response, Operation, _context.TimeProvider, cancellationToken);
            reply = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            throw new PermanentDeliveryException($"{Operation} failed: the TLS connection was refused (is the server's certificate trusted? see cacert)");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
            throw new TransientDeliveryException($"{Operation} failed: {reason}");
        }

        // HTTP 200 may still carry a failed result per object.
        if (FailedResult(reply) is { } status)
        {
            throw new PermanentDeliveryException($"{Operation} failed: {status}");
        }

        _context.Logger.LogDebug("icinga2: check result for {Host}{Service} accepted", hostName, serviceName is null ? "" : "!" + serviceName);
    }

    public void Dispose() => _ownClient?.Dispose();

    /// <summary>
    /// The request body: <c>type</c> Host or Service, a <c>filter</c> with <c>filter_vars</c> (no
    /// quoting of names needed), <c>exit_status</c>, <c>plugin_output</c>, <c>check_source</c>; then,
    /// as in mqttwarn, the keys of a message that is a JSON object override these.
    /// </summary>
    public static JsonObject Body(string hostName, string? serviceName, string source, int priority, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = serviceName is null
            ? new JsonObject
            {
                ["type"] = "Host",
                ["filter"] = "host.name==hub_host",
                ["filter_vars"] = new JsonObject { ["hub_host"] = hostName },
            }
            : new JsonObject
            {
                ["type"] = "Service",
                ["filter"] = "host.name==hub_host && service.name==hub_service",
                ["filter_vars"] = new JsonObject { ["hub_host"] = hostName, ["hub_service"] = serviceName },
            };
        body["exit_status"] = ExitStatus(priority, serviceName is null);
        body["plugin_output"] = message;
        body["check_source"] = source;
        if (message.TrimStart().StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(message) is JsonObject overrides)
                {
                    foreach (var (key, value) in overrides.ToList())
                    {
                        overrides.Remove(key);
                        body[key] = value;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: the message is the plugin output.
            }
        }

        return body;
    }

    /// <summary>The priority as exit status: services 0 OK … 3 UNKNOWN, hosts 0 UP or 1 DOWN; outside, the nearest end.</summary>
    public static int ExitStatus(int priority, bool host) => Math.Clamp(priority, 0, host ? 1 : 3);

    private static string? FailedResult(string reply)
    {
        try
        {
            using var document = JsonDocument.Parse(reply);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
            {
                foreach (var result in results.EnumerateArray())
                {
                    if (result.TryGetProperty("code", out var code) && code.TryGetDouble(out var value) && value >= 400)
                    {
                        return result.TryGetProperty("status", out var status) ? status.GetString() : $"code {value}";
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the HTTP status said success.
        }

        return null;
    }

    private static (string Host, string? Service, string? Source)? Parse(object? descriptor) =>
        descriptor is IReadOnlyList<object?> { Count: 2 or 3 } list
        && list[0] is string { Length: > 0 } host
        && list[1] is null or string { Length: > 0 }
        && list.ElementAtOrDefault(2) is null or string { Length: > 0 }
            ? (host, list[1] as string, list.ElementAtOrDefault(2) as string)
            : null;
}
