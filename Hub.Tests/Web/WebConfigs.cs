using Hub.Tests.Support;

namespace Hub.Tests.Web;

/// <summary>hub.ini files for the web tests: the embedded broker on a free port, file targets, a [web] section.</summary>
internal static class WebConfigs
{
    /// <summary>
    /// Routes <c>web/ok/#</c> to <c>file:good</c> (in <paramref name="directory"/>) and <c>web/bad/#</c> to <c>file:bad</c>,
    /// a path no one can create, so that target fails.
    /// </summary>
    public static string TwoTargets(string directory, string web) => $$"""
        [defaults]
        clientid = 'web-test'
        plugins = '{{Repo.PluginDirectory}}'
        loglevel = DEBUG
        shutdown_timeout = 5
        launch = file

        [broker]
        enabled = True
        listen = 127.0.0.1:0

        [web]
        {{web}}

        [config:file]
        append_newline = True
        targets = { 'good': ['{{Path.Combine(directory, "good.log")}}'], 'bad': ['/proc/hub-no-such-dir/bad.log'] }

        [web/ok/#]
        targets = file:good

        [web/bad/#]
        targets = file:bad
        """;
}
