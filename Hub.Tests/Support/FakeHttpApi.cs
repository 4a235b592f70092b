using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Hub.Tests.Support;

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) standing in for a hosted API: it records
/// every request (method, path, query, headers, body, multipart parts) and answers with scripted
/// responses. A request is recorded before it is answered, so once the client has its response the
/// request is in <see cref="Requests"/>: no waiting needed.
/// </summary>
/// <example>
/// <code>
/// await using var api = await FakeHttpApi.StartAsync();
/// api.On("POST", "/bot42:secret/sendMessage", FakeHttpResponse.Json("""{"ok": true, "result": {}}"""));
/// // … point the plugin's api_url at api.BaseUrl, send …
/// var request = Assert.Single(api.Requests);
/// </code>
/// </example>
public sealed class FakeHttpApi : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeHttpRequest> _requests = new();
    private readonly ConcurrentDictionary<(string Method, string Path), Func<FakeHttpRequest, FakeHttpResponse>> _routes = new();
    private WebApplication? _app;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeHttpApi()
    {
    }

    /// <summary>The server's base URL without a trailing slash, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<FakeHttpRequest> Requests => [.. _requests];

    /// <summary>The answer to a request that matches no route: 404 with a JSON body that says so.</summary>
    public FakeHttpResponse Unmatched { get; set; } = FakeHttpResponse.Json("""{"ok": false, "error": "no scripted response", "description": "no scripted response"}""", 404);

    public static async Task<FakeHttpApi> StartAsync()
    {
        var api = new FakeHttpApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        api.BaseUrl = address.TrimEnd('/');
        return api;
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> requests have arrived; returns them all.</summary>
    public async Task<IReadOnlyList<FakeHttpRequest>> WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var arrived = _arrived.Task;
            if (_requests.Count >= count)
            {
                return Requests;
            }

            try
            {
                await arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{_requests.Count} of {count} requests arrived within {timeout}: {string.Join("; ", Requests)}");
            }
        }
    }

    /// <summary>Scripts the answers to <paramref name="method"/> <paramref name="path"/>: one per request, in order; the last one repeats.</summary>
    public FakeHttpApi On(string method, string path, params FakeHttpResponse[] responses)
    {
        ArgumentOutOfRangeException.ThrowIfZero(responses.Length);
        var queue = new Queue<FakeHttpResponse>(responses);
        return On(method, path, _ =>
        {
            lock (queue)
            {
                return queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            }
        });
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with what <paramref name="answer"/> makes of each request (a stand-in that checks the request's shape).</summary>
    public FakeHttpApi On(string method, string path, Func<FakeHttpRequest, FakeHttpResponse> answer)
    {
        _routes[(method.ToUpperInvariant(), path)] = answer;
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new FakeHttpRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body,
            await ReadPartsAsync(request.ContentType, body, http.RequestAborted));
        _requests.Enqueue(recorded);
        Interlocked.Exchange(ref _arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        var response = _routes.TryGetValue((request.Method.ToUpperInvariant(), request.Path.Value ?? ""), out var answer) ? answer(recorded) : Unmatched;
        if (response.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(response.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up
            }
        }

        http.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            http.Response.Headers[name] = value;
        }

        http.Response.ContentType = response.ContentType;
        await http.Response.WriteAsync(response.Body, http.RequestAborted);
    }

    private static async Task<IReadOnlyList<FakeHttpPart>> ReadPartsAsync(string? contentType, byte[] body, CancellationToken cancellationToken)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var parts = new List<FakeHttpPart>();
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!, new MemoryStream(body));
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition);
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content, cancellationToken);
            parts.Add(new FakeHttpPart(
                HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value ?? "",
                disposition?.FileName.HasValue == true ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null,
                section.ContentType,
                content.ToArray()));
        }

        return parts;
    }
}
