using Hub.Broker.Security;

namespace Hub.Cli;

/// <summary>
/// <c>hub passwd [-c] [-b] [-D] [-U] [-I N] FILE [USER] [PASSWORD]</c>: writes the embedded broker's password file, in
/// mosquitto's format (mosquitto_passwd's options, so the habit carries over). The password comes from a no-echo prompt
/// (twice) on a terminal, else from one line of standard input, or with <c>-b</c> from the command line.
/// </summary>
internal static class PasswdCommand
{
    public static int Execute(PasswdRequest request, CliContext cli)
    {
        if (Validate(request) is { } usage)
        {
            cli.Error.WriteLine($"hub passwd: {usage}");
            return ExitCodes.ConfigError;
        }

        try
        {
            return request switch
            {
                { Update: true } => Update(request, cli),
                { Delete: true } => Delete(request, cli),
                _ => Set(request, cli),
            };
        }
        catch (BrokerSecurityException ex)
        {
            cli.Error.WriteLine($"hub passwd: {ex.Message}");
            return ExitCodes.ConfigError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            cli.Error.WriteLine($"hub passwd: {request.File}: cannot write the password file: {ex.Message}");
            return ExitCodes.ConfigError;
        }
    }

    private static string? Validate(PasswdRequest request)
    {
        if (request.Iterations is < 1 or > PasswordHash.MaxIterations)
        {
            return $"-I: the iteration count must be from 1 to {PasswordHash.MaxIterations}";
        }

        if (request.Update)
        {
            return request.Create || request.Delete || request.Batch || request.User is not null
                ? "-U takes only the file (it hashes every plain-text password in it)"
                : null;
        }

        if (request.User is null)
        {
            return "give the user name: hub passwd [-c] FILE USER";
        }

        if (PasswordFileEditor.InvalidUserName(request.User) is { } invalid)
        {
            return invalid;
        }

        if (request.Delete)
        {
            return request.Create || request.Batch || request.Password is not null ? "-D takes only the file and the user" : null;
        }

        return (request.Batch, request.Password) switch
        {
            (true, null) => "-b needs the password: hub passwd -b FILE USER PASSWORD",
            (false, not null) => "a password on the command line needs -b (without it, the password is read from the terminal or standard input)",
            _ => null,
        };
    }

    private static int Set(PasswdRequest request, CliContext cli)
    {
        var editor = request.Create ? PasswordFileEditor.Create(request.File) : PasswordFileEditor.Open(request.File);
        if (request.Batch)
        {
            cli.Error.WriteLine("hub passwd: warning: a password given with -b is visible to other users in the process list and stays in the shell history");
        }

        string? problem = null;
        var password = request.Password ?? ReadPassword(cli, out problem);
        if (password is null || password.Length == 0)
        {
            cli.Error.WriteLine($"hub passwd: {(password is null ? problem : "the password is empty")}");
            return ExitCodes.ConfigError;
        }

        var added = editor.Set(request.User!, PasswordHash.Create(password, request.Iterations));
        editor.Save();
        cli.Out.WriteLine($"{(added ? "Added user" : "Changed the password of")} {request.User} {(added ? "to" : "in")} {request.File}");
        return ExitCodes.Ok;
    }

    private static int Delete(PasswdRequest request, CliContext cli)
    {
        var editor = PasswordFileEditor.Open(request.File);
        if (!editor.Delete(request.User!))
        {
            cli.Error.WriteLine($"hub passwd: {request.File}: there is no user {request.User}");
            return ExitCodes.ConfigError;
        }

        editor.Save();
        cli.Out.WriteLine($"Deleted user {request.User} from {request.File}");
        return ExitCodes.Ok;
    }

    private static int Update(PasswdRequest request, CliContext cli)
    {
        var editor = PasswordFileEditor.Open(request.File, plainText: true);
        var converted = editor.HashPlainText(request.Iterations);
        editor.Save();
        cli.Out.WriteLine($"Hashed {converted} plain-text password(s) in {request.File}");
        return ExitCodes.Ok;
    }

    private static string? ReadPassword(CliContext cli, out string? problem)
    {
        problem = null;
        if (!cli.InputIsTerminal)
        {
            var line = cli.In.ReadLine();
            problem = line is null ? "no password on standard input (one line expected)" : null;
            return line?.TrimEnd('\r');
        }

        var first = TerminalPrompt.ReadHidden("Password: ", cli.Error);
        var second = TerminalPrompt.ReadHidden("Reenter password: ", cli.Error);
        if (first != second)
        {
            problem = "the passwords do not match";
            return null;
        }

        return first;
    }
}
