using System.CommandLine;

namespace Hub.Cli;

/// <summary>The command line: <c>run</c>, <c>check</c>, <c>routes</c>, <c>test</c>, <c>notify</c>, <c>publish</c>, <c>plugins</c>, <c>sample</c>, <c>dlq</c>, <c>history</c>, <c>jobs</c>, <c>passwd</c>.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliContext console, CancellationToken cancellationToken = default)
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "The configuration file (default: $HUB_CONFIG, else ./hub.ini)",
            Recursive = true,
        };
        var pluginDirectories = new Option<string[]>("--plugins")
        {
            Description = "A plugin directory (repeatable); replaces 'plugins =' of [defaults]",
            HelpName = "DIR",
            Recursive = true,
        };
        var root = new RootCommand("Hub: routes MQTT messages through filters and formats to notification services, stores and brokers.");
        root.Options.Add(config);
        root.Options.Add(pluginDirectories);

        // Set again once --plugins is parsed; the actions capture the variable and read it when they run.
        CliContext cli = console;

        var run = new Command("run", "Connect to the broker and route messages until SIGTERM or Ctrl-C");
        run.SetAction((r, ct) => Guard(cli, () => RunCommand.ExecuteAsync(r.GetValue(config), cli)));
        root.Subcommands.Add(run);

        var checkStrict = new Option<bool>("--strict") { Description = "Treat every warning as an error (exit 2)" };
        var check = new Command("check", "Validate the configuration as 'hub run' would; print every error as FILE:LINE: message; exit 2 on error") { checkStrict };
        check.SetAction(r => Guard(cli, () => Task.FromResult(CheckCommand.Execute(r.GetValue(config), r.GetValue(checkStrict), cli))).GetAwaiter().GetResult());
        root.Subcommands.Add(check);

        var routes = new Command("routes", "Show subscriptions, routes and targets as the hub understood them");
        routes.SetAction(r => Guard(cli, () => Task.FromResult(RoutesCommand.Execute(r.GetValue(config), cli))).GetAwaiter().GetResult());
        root.Subcommands.Add(routes);

        var testTopic = new Argument<string>("TOPIC") { Description = "The message topic" };
        var testPayload = new Argument<string>("PAYLOAD") { Description = "The message payload (text)" };
        var testRetained = new Option<bool>("--retained") { Description = "Treat the message as a retained one" };
        var testProperty = new Option<string[]>("--property") { Description = $"An MQTT 5.0 property of the message, NAME=VALUE ({TestProperties.Names}); repeatable" };
        var testUserProperty = new Option<string[]>("--user-property") { Description = "An MQTT 5.0 user property of the message, NAME=VALUE; repeatable" };
        var test = new Command("test", "Dry run: what the routes would do with one message; nothing is sent") { testTopic, testPayload, testRetained, testProperty, testUserProperty };
        test.SetAction(r => Guard(cli, () => Task.FromResult(RunTest(r, config, testTopic, testPayload, testRetained, testProperty, testUserProperty, cli))).GetAwaiter().GetResult());
        root.Subcommands.Add(test);

        var notifyTarget = new Argument<string>("SERVICE:TARGET") { Description = "A configured service, or one of its targets" };
        var notifyMessage = new Argument<string>("MESSAGE") { Description = "The message text" };
        var notifyTitle = new Option<string?>("--title") { Description = "The title (default: hub: notify)" };
        var notifyPriority = new Option<int>("--priority") { Description = "The priority (default 0)" };
        var notifyData = new Option<string?>("--data") { Description = "A JSON object merged into the transformation data (for descriptors and plugins that read data keys)", HelpName = "JSON" };
        var notify = new Command("notify", "Send one notification through a configured target") { notifyTarget, notifyMessage, notifyTitle, notifyPriority, notifyData };
        notify.SetAction((r, ct) => Guard(cli, () => NotifyCommand.ExecuteAsync(r.GetValue(config), r.GetValue(notifyTarget)!, r.GetValue(notifyMessage)!, r.GetValue(notifyTitle), r.GetValue(notifyPriority), r.GetValue(notifyData), cli, ct)));
        root.Subcommands.Add(notify);

        var pubTopic = new Argument<string>("TOPIC") { Description = "The topic" };
        var pubPayload = new Argument<string>("PAYLOAD") { Description = "The payload (text)" };
        var pubQos = new Option<int>("--qos", "-q") { Description = "QoS 0, 1 or 2 (default 0)" };
        var pubRetain = new Option<bool>("--retain", "-r") { Description = "Publish as a retained message" };
        var pubHost = new Option<string?>("--host") { Description = "Broker host (default: [defaults] hostname, else localhost)" };
        var pubPort = new Option<int?>("--port") { Description = "Broker port (default: [defaults] port, else 1883)" };
        var publish = new Command("publish", "Publish one message with the hub's own MQTT client") { pubTopic, pubPayload, pubQos, pubRetain, pubHost, pubPort };
        publish.SetAction((r, ct) => Guard(cli, () => PublishCommand.ExecuteAsync(r.GetValue(config), r.GetValue(pubTopic)!, r.GetValue(pubPayload)!, r.GetValue(pubQos), r.GetValue(pubRetain), r.GetValue(pubHost), r.GetValue(pubPort), cli, ct)));
        root.Subcommands.Add(publish);

        var plugins = new Command("plugins", "List the plugins found: name, kinds, version, path, options with defaults");
        plugins.SetAction(r => Guard(cli, () => Task.FromResult(PluginsCommand.Execute(r.GetValue(config), cli))).GetAwaiter().GetResult());
        root.Subcommands.Add(plugins);

        var dlqTarget = new Option<string?>("--target", "-t") { Description = "Only the letters of SERVICE or SERVICE:TARGET", HelpName = "SERVICE[:TARGET]", Recursive = true };
        var dlq = new Command("dlq", "The dead-letter store: items targets gave up on after retries and failover") { dlqTarget };
        var dlqList = new Command("list", "List the dead letters: id, time, target, topic, reason, message");
        dlqList.SetAction(r => Guard(cli, () => Task.FromResult(DlqCommand.List(r.GetValue(config), r.GetValue(dlqTarget), cli))).GetAwaiter().GetResult());
        var dlqReplay = new Command("replay", "Deliver the dead letters again through their targets; delivered ones are removed");
        dlqReplay.SetAction((r, ct) => Guard(cli, () => DlqCommand.ReplayAsync(r.GetValue(config), r.GetValue(dlqTarget), cli, ct)));
        var dlqPurge = new Command("purge", "Delete the dead letters");
        dlqPurge.SetAction(r => Guard(cli, () => Task.FromResult(DlqCommand.Purge(r.GetValue(config), r.GetValue(dlqTarget), cli))).GetAwaiter().GetResult());
        dlq.Subcommands.Add(dlqList);
        dlq.Subcommands.Add(dlqReplay);
        dlq.Subcommands.Add(dlqPurge);
        root.Subcommands.Add(dlq);

        root.Subcommands.Add(HistoryCommand.Create(config, () => cli));
        root.Subcommands.Add(JobsCommand.Create(config, () => cli));
        root.Subcommands.Add(ReplayCommand.Create(config, () => cli));
        root.Subcommands.Add(AlarmsCommand.Create(config, () => cli));

        var sampleName = new Argument<string>("NAME") { Description = "The plugin name, as in hub.ini" };
        var sample = new Command("sample", "Print a plugin's sample.ini") { sampleName };
        sample.SetAction(r => Guard(cli, () => Task.FromResult(SampleCommand.Execute(r.GetValue(config), r.GetValue(sampleName)!, cli))).GetAwaiter().GetResult());
        root.Subcommands.Add(sample);

        var passwdFile = new Argument<string>("FILE") { Description = "The password file (mosquitto's format)" };
        var passwdUser = new Argument<string?>("USER") { Description = "The user name", Arity = ArgumentArity.ZeroOrOne };
        var passwdPassword = new Argument<string?>("PASSWORD") { Description = "The password, with -b only", Arity = ArgumentArity.ZeroOrOne };
        var passwdCreate = new Option<bool>("-c") { Description = "Create the file; an existing one is overwritten", Arity = ArgumentArity.Zero };
        var passwdBatch = new Option<bool>("-b") { Description = "Take the password from the command line (visible in the process list)", Arity = ArgumentArity.Zero };
        var passwdDelete = new Option<bool>("-D") { Description = "Delete the user", Arity = ArgumentArity.Zero };
        var passwdUpdate = new Option<bool>("-U") { Description = "Hash every plain-text password of a USER:PASSWORD file", Arity = ArgumentArity.Zero };
        var passwdIterations = new Option<int>("-I") { Description = $"PBKDF2 iterations (default {Hub.Broker.Security.PasswordHash.DefaultIterations})", DefaultValueFactory = _ => Hub.Broker.Security.PasswordHash.DefaultIterations, HelpName = "N" };
        var passwd = new Command("passwd", "Add, change or delete a user of the embedded broker's password file (asks for the password without echo)")
        {
            passwdFile, passwdUser, passwdPassword, passwdCreate, passwdBatch, passwdDelete, passwdUpdate, passwdIterations,
        };
        passwd.SetAction(r => Guard(cli, () => Task.FromResult(PasswdCommand.Execute(
            new PasswdRequest(r.GetValue(passwdFile)!, r.GetValue(passwdUser), r.GetValue(passwdPassword), r.GetValue(passwdCreate), r.GetValue(passwdBatch), r.GetValue(passwdDelete), r.GetValue(passwdUpdate), r.GetValue(passwdIterations)),
            cli))).GetAwaiter().GetResult());
        root.Subcommands.Add(passwd);

        var parsed = root.Parse(args);
        if (parsed.GetValue(pluginDirectories) is { Length: > 0 } directories)
        {
            cli = console with { PluginDirectories = directories.Select(Path.GetFullPath).ToList() };
        }

        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                cli.Error.WriteLine($"hub: {error.Message}");
            }

            cli.Error.WriteLine("Run 'hub --help' for usage.");
            return ExitCodes.ConfigError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration
        {
            Output = cli.Out,
            Error = cli.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // `hub run` handles SIGTERM/SIGINT itself, to drain within its own deadline
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>No stack traces for users: an unexpected exception becomes one line and exit code 1.</summary>
    private static int RunTest(
        ParseResult r, Option<string?> config, Argument<string> topic, Argument<string> payload, Option<bool> retained,
        Option<string[]> property, Option<string[]> userProperty, CliContext cli)
    {
        var properties = TestProperties.Parse(r.GetValue(property) ?? [], r.GetValue(userProperty) ?? [], out var error);
        if (error is not null)
        {
            cli.Error.WriteLine($"error: {error}");
            return ExitCodes.Failure;
        }

        return TestCommand.Execute(r.GetValue(config), r.GetValue(topic)!, r.GetValue(payload)!, r.GetValue(retained), cli, properties);
    }

    internal static async Task<int> Guard(CliContext cli, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cli.Error.WriteLine("hub: cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            cli.Error.WriteLine($"hub: error: {ex.Message}");
            if (Environment.GetEnvironmentVariable("HUB_DEBUG") is "1")
            {
                cli.Error.WriteLine(ex.ToString());
            }

            return ExitCodes.Failure;
        }
    }
}
