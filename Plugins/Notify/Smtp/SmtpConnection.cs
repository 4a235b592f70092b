using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Hub.Plugins.Notify;

/// <summary>
/// One SMTP session (RFC 5321) on the BCL: greeting, EHLO, STARTTLS or implicit TLS, AUTH PLAIN or
/// LOGIN, then any number of MAIL/RCPT/DATA transactions until QUIT. Not thread-safe: the sink
/// serialises its use. Commands are never logged, so credentials cannot reach the log.
/// </summary>
public sealed class SmtpConnection : IAsyncDisposable
{
    private const int MaxLine = 8192;
    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[MaxLine];
    private Stream _stream;
    private int _start;
    private int _end;
    private HashSet<string> _extensions = new(StringComparer.OrdinalIgnoreCase);
    private string[] _authMechanisms = [];

    private SmtpConnection(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    /// <summary>True once the server closed the connection or a transfer failed half-way; such a connection is not reused.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>True once the last transaction's content was (partly) sent: the server may have accepted the mail, so it is not sent again.</summary>
    public bool ReachedData { get; private set; }

    public static async Task<SmtpConnection> OpenAsync(SmtpEndpoint endpoint, SmtpTls tls, string? username, string? password, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        SmtpConnection? connection = null;
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            Stream stream = tcp.GetStream();
            if (tls.Mode == SmtpTlsMode.Implicit)
            {
                stream = await tls.AuthenticateAsync(stream, endpoint.Host, cancellationToken);
            }

            connection = new SmtpConnection(tcp, stream);
            await connection.ExpectAsync("connection greeting", await connection.ReadReplyAsync(cancellationToken));
            await connection.EhloAsync(cancellationToken);
            if (tls.Mode == SmtpTlsMode.StartTls)
            {
                if (!connection._extensions.Contains("STARTTLS"))
                {
                    throw new SmtpException($"{endpoint} does not offer STARTTLS (starttls = True)");
                }

                await connection.CommandAsync("STARTTLS", "STARTTLS", cancellationToken);
                if (connection._start != connection._end)
                {
                    throw new SmtpException("the server sent data before the TLS handshake (possible STARTTLS injection)");
                }

                connection._stream = await tls.AuthenticateAsync(connection._stream, endpoint.Host, cancellationToken);
                await connection.EhloAsync(cancellationToken);
            }

            if (!string.IsNullOrEmpty(username))
            {
                await connection.AuthenticateAsync(username, password ?? "", cancellationToken);
            }

            return connection;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                tcp.Dispose();
            }

            throw;
        }
    }

    /// <summary>One mail transaction. A refused sender or recipient resets the transaction (nobody gets the mail) and throws with the server's reply.</summary>
    public async Task SendAsync(string from, IReadOnlyList<string> recipients, string message, CancellationToken cancellationToken)
    {
        if (recipients.Prepend(from).Any(a => a.Any(c => char.IsControl(c) || c is '<' or '>')))
        {
            throw new ArgumentException("an envelope address must not contain control characters or angle brackets", nameof(recipients));
        }

        ReachedData = false;
        var utf8 = _extensions.Contains("SMTPUTF8") && (!MailEncoding.IsPlainAscii(from) || recipients.Any(r => !MailEncoding.IsPlainAscii(r)));
        try
        {
            await CommandAsync($"MAIL FROM:<{from}>" + (utf8 ? " SMTPUTF8" : ""), "MAIL FROM", cancellationToken);
            foreach (var recipient in recipients)
            {
                await CommandAsync($"RCPT TO:<{recipient}>", $"recipient <{recipient}>", cancellationToken);
            }

            var reply = await SendLineAsync("DATA", cancellationToken);
            if (reply.Code != 354)
            {
                throw new SmtpException("DATA", reply);
            }
        }
        catch (SmtpException ex) when (ex.Reply is not null && !IsBroken)
        {
            await ResetAsync(cancellationToken);
            throw;
        }

        ReachedData = true;
        await WriteAsync(DotStuff(message) + ".\r\n", cancellationToken);
        await ExpectAsync("the message (end of DATA)", await ReadReplyAsync(cancellationToken));
    }

    /// <summary>Says goodbye politely; errors are ignored, the connection is closed anyway.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!IsBroken)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendLineAsync("QUIT", cts.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or SmtpException or ObjectDisposedException)
            {
                // The server may already have gone; closing is all that matters now.
            }
        }

        IsBroken = true;
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    // After a refusal the session stays usable for the next mail once RSET is accepted.
    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            IsBroken |= !(await SendLineAsync("RSET", cancellationToken)).IsPositive;
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpException)
        {
            IsBroken = true;
        }
    }

    // RFC 5321 §4.5.2: a line that starts with a dot gets another one; line breaks become CRLF.
    internal static string DotStuff(string message)
    {
        var text = message.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\r\n", StringComparison.Ordinal);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            text += "\r\n";
        }

        return (text.StartsWith('.') ? "." : "") + text.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
    }

    private async Task EhloAsync(CancellationToken cancellationToken)
    {
        var reply = await SendLineAsync("EHLO " + ClientName(), cancellationToken);
        if (!reply.IsPositive)
        {
            throw new SmtpException("EHLO", reply);
        }

        _extensions = new HashSet<string>(reply.Lines.Skip(1).Select(l => l.Split(' ', '=')[0]), StringComparer.OrdinalIgnoreCase);
        _authMechanisms = reply.Lines.Skip(1)
            .Where(l => l.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) || l.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            .SelectMany(l => l[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.ToUpperInvariant())
            .ToArray();
    }

    private async Task AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (_authMechanisms.Contains("PLAIN"))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
            await CommandAsync("AUTH PLAIN " + token, "AUTH PLAIN (wrong username or password?)", cancellationToken);
        }
        else if (_authMechanisms.Contains("LOGIN"))
        {
            await ContinueAsync("AUTH LOGIN", "AUTH LOGIN", cancellationToken);
            await ContinueAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(username)), "AUTH LOGIN username", cancellationToken);
            await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), "AUTH LOGIN (wrong username or password?)", cancellationToken);
        }
        else
        {
            throw new SmtpException(_authMechanisms.Length == 0
                ? "the server offers no AUTH (it may allow it only after STARTTLS: set starttls = True)"
                : $"the server offers neither AUTH PLAIN nor LOGIN (it offers {string.Join(", ", _authMechanisms)})");
        }
    }

    private async Task ContinueAsync(string line, string what, CancellationToken cancellationToken)
    {
        var reply = await SendLineAsync(line, cancellationToken);
        if (reply.Code != 334)
        {
            throw new SmtpException(what, reply);
        }
    }

    private async Task CommandAsync(string line, string what, CancellationToken cancellationToken) =>
        await ExpectAsync(what, await SendLineAsync(line, cancellationToken));

    private Task ExpectAsync(string what, SmtpReply reply) =>
        reply.IsPositive ? Task.CompletedTask : throw new SmtpException(what, reply);

    private async Task<SmtpReply> SendLineAsync(string line, CancellationToken cancellationToken)
    {
        await WriteAsync(line + "\r\n", cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        catch
        {
            IsBroken = true;
            throw;
        }
    }

    private async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code) || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                IsBroken = true;
                throw new SmtpException($"not an SMTP reply: '{MailEncoding.OneLine(line)}'");
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                if (code == 421)
                {
                    IsBroken = true; // the server is closing the session
                }

                return new SmtpReply(code, lines);
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = Encoding.UTF8.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                    _start = newline + 1;
                    return line;
                }

                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                if (_end == _buffer.Length)
                {
                    throw new SmtpException($"a reply line longer than {MaxLine} bytes");
                }

                var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("the SMTP server closed the connection");
                }

                _end += read;
            }
        }
        catch
        {
            IsBroken = true;
            throw;
        }
    }

    private static string ClientName()
    {
        var name = Environment.MachineName;
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "[127.0.0.1]";
    }
}
