using System.Net;
using Hub.Plugins.Common;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message as an e-mail to the target's recipients, through MailKit. One SMTP session
/// serves a burst: it stays open for <c>idle_timeout</c> after the last mail, and a session the
/// server dropped in the meantime is replaced once, transparently. Refusals throw with the
/// server's reply: 4yz transient, 5yz permanent.
/// </summary>
[Plugin("smtp", Description = "Send each message as an e-mail through MailKit (STARTTLS or implicit TLS, AUTH, HTML alternative, inline images)")]
public sealed class SmtpSink : ISink, ITargetBinder, IAsyncDisposable
{
    private readonly IPluginContext _context;
    private readonly SmtpSinkOptions _options;
    private readonly SmtpEndpoint _endpoint;
    private readonly MailAddress _sender;
    private readonly SmtpTls _tls;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ITimer _idleTimer;
    private SmtpSession? _connection;

    public SmtpSink(IPluginContext context, SmtpSinkOptions options)
    {
        _context = context;
        _options = options;
        SmtpEndpoint.TryParse(options.Server, options.ImplicitTls, out _endpoint, out _);
        MailAddress.TryParse(options.Sender, out _sender, out _);
        _tls = SmtpTls.From(options, context.ConfigDirectory);
        _idleTimer = context.TimeProvider.CreateTimer(_ => _ = CloseIdleAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public object BindTarget(string? targetName, object? descriptor) => Recipients(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var recipients = Descriptor.Bound(item, d => Recipients(d), "smtp");
        var images = MailImage.From(item);

        // An image payload is the picture, not the text: the title says what it shows.
        var text = ImagePayload.Detect(item.Payload.Span) is not null && item.MessageBytes.Span.SequenceEqual(item.Payload.Span) ? item.Title : item.Message;
        var message = MailComposer.Compose(_sender, recipients, item.Title, text, _options.Htmlmsg, images, _context.TimeProvider.GetLocalNow());
        var envelope = recipients.Select(r => r.ToMailbox()).ToList();

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            using var timeout = new CancellationTokenSource(_options.Timeout, _context.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await DeliverAsync(message, envelope, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer from the SMTP server {_endpoint} within {_options.Timeout.TotalSeconds:0.###} s");
            }
            catch (SmtpCommandException ex)
            {
                var reply = $"{(int)ex.StatusCode} {ex.Message}";
                throw SmtpSession.Refused((int)ex.StatusCode, ex.ErrorCode switch
                {
                    SmtpErrorCode.RecipientNotAccepted => $"SMTP server refused recipient <{ex.Mailbox?.Address}>: {reply}",
                    SmtpErrorCode.SenderNotAccepted => $"SMTP server refused the sender <{ex.Mailbox?.Address}> (MAIL FROM): {reply}",
                    SmtpErrorCode.MessageNotAccepted => $"SMTP server refused the message (end of DATA): {reply}",
                    _ => $"SMTP server replied {reply}",
                }, ex);
            }
        }
        finally
        {
            if (_options.IdleTimeout > TimeSpan.Zero && _connection is not null)
            {
                _idleTimer.Change(_options.IdleTimeout, Timeout.InfiniteTimeSpan);
            }
            else
            {
                await CloseAsync();
            }

            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _idleTimer.Dispose();
        await _gate.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DeliverAsync(MimeMessage message, IReadOnlyList<MailboxAddress> recipients, CancellationToken cancellationToken)
    {
        var reused = _connection is not null;
        var session = _connection ??= await OpenAsync(cancellationToken);
        try
        {
            await session.SendAsync(message, _sender.ToMailbox(), recipients, cancellationToken);
        }
        catch (Exception ex) when (reused && !session.IsConnected && !session.ReachedData && !cancellationToken.IsCancellationRequested)
        {
            // The server dropped the idle session (timeout, restart): one fresh session, then the error counts.
            _context.Logger.LogDebug("SMTP session to {Endpoint} was closed ({Reason}); reconnecting", _endpoint, ex.Message);
            await CloseAsync();
            session = _connection = await OpenAsync(cancellationToken);
            await session.SendAsync(message, _sender.ToMailbox(), recipients, cancellationToken);
        }
        finally
        {
            if (_connection is { IsConnected: false })
            {
                await CloseAsync();
            }
        }
    }

    private async Task<SmtpSession> OpenAsync(CancellationToken cancellationToken)
    {
        var credential = string.IsNullOrEmpty(_options.Username) ? null : new NetworkCredential(_options.Username, _options.Password ?? "");
        var session = await SmtpSession.OpenAsync(_endpoint, _tls, credential, _options.Timeout, cancellationToken);
        _context.Logger.LogDebug("SMTP session opened to {Endpoint} (TLS: {Tls}, user: {User})", _endpoint, _tls.Mode, credential is null ? "none" : _options.Username);
        return session;
    }

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    private async Task CloseIdleAsync()
    {
        // A delivery in progress re-arms the timer when it ends; nothing to close now.
        if (!await _gate.WaitAsync(0))
        {
            return;
        }

        try
        {
            await CloseAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static List<MailAddress> Recipients(object? descriptor)
    {
        // A text would become one recipient here, but mqttwarn joins it letter by letter into the To: header.
        if (descriptor is not IReadOnlyList<object?> items)
        {
            throw new FormatException($"the target must be a list of addresses: ['user@example.org', ...], not {OptionValues.Describe(descriptor)}");
        }

        if (items.Count == 0)
        {
            throw new FormatException("the target needs at least one recipient: ['user@example.org', ...]");
        }

        var recipients = new List<MailAddress>(items.Count);
        foreach (var item in items)
        {
            if (!MailAddress.TryParse(item as string, out var address, out var problem))
            {
                throw new FormatException($"recipient {OptionValues.Describe(item)}: {problem}");
            }

            recipients.Add(address);
        }

        return recipients;
    }
}
