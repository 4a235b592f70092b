using System.Security.Cryptography;
using System.Text;
using Hub.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hub.Web;

/// <summary>
/// Checks <c>Authorization: Bearer TOKEN</c> on every request when <c>auth_token</c> is set. A refusal is a 401,
/// counted and logged with the path and the caller's address, never with what was sent.
/// </summary>
internal sealed class BearerToken(string token, HubObserver hub, ILogger logger)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Matches(context.Request.Headers.Authorization.ToString()))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        hub.OnUnauthorized();
        logger.LogWarning("Web: refused a request to {Path} from {Remote}: missing or wrong auth token", context.Request.Path.Value, context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
    }

    private bool Matches(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Fixed-time comparison: the time taken says nothing about how much of the token was right.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _expected);
    }
}
