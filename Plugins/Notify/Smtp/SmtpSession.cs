using System.Globalization;
using System.Net;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Hub.Plugins.Notify;

/// <summary>
/// One SMTP session on MailKit's <see cref="SmtpClient"/>: connect (STARTTLS or implicit TLS, the
/// server certificate checked by <see cref="SmtpTls"/>), authenticate, then any number of mail
/// transactions until QUIT. MailKit speaks the protocol: EHLO, PIPELINING, 8BITMIME and SMTPUTF8
/// (an internationalised address goes out with SMTPUTF8 when the server offers it), dot-stuffing,
/// RSET after a refused transaction. Not thread-safe: the sink serialises its use. No protocol
/// logger is attached, so credentials cannot reach the log.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    /// <summary>The SASL mechanisms used, strongest first: the first one the server offers is taken.</summary>
    public static readonly IReadOnlyList<string> Mechanisms = ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"];

    private readonly SmtpClient _client;

    private SmtpSession(SmtpClient client) => _client = client;

    /// <summary>False once the server closed the session or a transfer failed half-way; such a session is not reused.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>True once the last transaction's content was (partly) sent: the server may have accepted the mail, so it is not sent again.</summary>
    public bool ReachedData { get; private set; }

    public static async Task<SmtpSession> OpenAsync(SmtpEndpoint endpoint, SmtpTls tls, NetworkCredential? credential, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? problem = null;
        var client = new SmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds),
            CheckCertificateRevocation = false, // as SslStream's default: no CRL/OCSP fetch, which a hub without internet could not make
            ServerCertificateValidationCallback = (_, certificate, chain, errors) => tls.Verify(certificate, chain, errors, out problem),
        };
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, tls.SocketOptions, cancellationToken);
            if (credential is not null)
            {
                await AuthenticateAsync(client, credential, cancellationToken);
            }

            return new SmtpSession(client);
        }
        catch (SslHandshakeException ex)
        {
            client.Dispose();
            throw new System.Security.Authentication.AuthenticationException($"TLS with {endpoint.Host} failed: {problem ?? ex.Message}", ex);
        }
        catch (NotSupportedException ex) when (tls.Mode == SmtpTlsMode.StartTls && (client.Capabilities & SmtpCapabilities.StartTLS) == 0)
        {
            client.Dispose();
            throw new NotSupportedException($"{endpoint} does not offer STARTTLS (starttls = True)", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>One mail transaction; a refused sender, recipient or message throws <see cref="SmtpCommandException"/> after MailKit's RSET (nobody gets the mail).</summary>
    public async Task SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken cancellationToken)
    {
        var progress = new DataProgress();
        try
        {
            await _client.SendAsync(message, sender, recipients, cancellationToken, progress);
        }
        finally
        {
            ReachedData = progress.Started;
        }
    }

    /// <summary>Says goodbye politely (QUIT); errors are ignored, the connection is closed anyway.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.DisconnectAsync(quit: true, cts.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SmtpProtocolException or SmtpCommandException or ObjectDisposedException)
        {
            // the session is going anyway
        }
        finally
        {
            _client.Dispose();
        }
    }

    private static async Task AuthenticateAsync(SmtpClient client, NetworkCredential credential, CancellationToken cancellationToken)
    {
        var offered = client.AuthenticationMechanisms;
        var name = Mechanisms.FirstOrDefault(offered.Contains) ?? throw new NotSupportedException(offered.Count == 0
            ? "the server offers no AUTH (it may allow it only after STARTTLS: set starttls = True)"
            : $"the server offers none of AUTH {string.Join(", ", Mechanisms)} (it offers {string.Join(", ", offered.Order(StringComparer.Ordinal))})");
        try
        {
            await client.AuthenticateAsync(SaslMechanism.Create(name, Encoding.UTF8, credential)!, cancellationToken);
        }
        catch (AuthenticationException ex)
        {
            // MailKit's message is "CODE: the server's text"; 454 is a temporary failure, 535 a refusal.
            var (code, text) = ex.Message.Split(": ", 2) is [var number, var rest] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
                ? (c, rest)
                : (535, ex.Message);
            throw Refused(code, $"SMTP server refused AUTH {name} (wrong username or password?): {code} {text}", ex);
        }
    }

    /// <summary>
    /// The exception for a negative reply: RFC 5321 §4.2.1: 4yz is a transient negative reply (try
    /// again later), 5yz a permanent one.
    /// </summary>
    public static Exception Refused(int code, string message, Exception inner) => code is >= 400 and < 500
        ? new TransientDeliveryException(message, null, inner)
        : new PermanentDeliveryException(message, null, inner);

    /// <summary>Notes whether MailKit began to upload the message (DATA content): from then on the mail may have been accepted.</summary>
    private sealed class DataProgress : ITransferProgress
    {
        public bool Started { get; private set; }

        public void Report(long bytesTransferred, long totalSize) => Started = true;

        public void Report(long bytesTransferred) => Started = true;
    }
}
