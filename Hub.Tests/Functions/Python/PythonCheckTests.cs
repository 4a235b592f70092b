using Hub.Functions.Python;
using Hub.Graph;
using Hub.PluginHost;
using Hub.Tests.Support;

namespace Hub.Tests.Functions.Python;

/// <summary>What <c>hub check</c> says about Python modules: import errors at the module's line, missing functions and wrong arguments at the INI's.</summary>
public sealed class PythonCheckTests : IDisposable
{
    private readonly PythonFunctionFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_syntax_error_is_reported_at_its_line_in_the_module()
    {
        _files.Write("udf.py", "import json\n\ndef broken(:\n    pass\n");

        var error = Assert.Single(_files.Load(PythonFunctionFiles.Header).Errors);

        Assert.Equal(Path.Combine(_files.Directory, "udf.py"), error.Location.File);
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("importing udf.py failed: SyntaxError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_import_that_fails_is_reported_at_the_line_of_the_import()
    {
        _files.Write("udf.py", "import json\nimport no_such_module_for_hub\n");

        var error = Assert.Single(_files.Load(PythonFunctionFiles.Header).Errors);

        Assert.Equal($"{_files.Directory}/udf.py:2: importing udf.py failed: ModuleNotFoundError: No module named 'no_such_module_for_hub' (udf.py:2 in <module>)", error.ToString());
    }

    [Fact]
    public void A_function_that_is_not_defined_or_takes_other_arguments_is_an_error_at_the_ini_line_that_names_it()
    {
        _files.Write("udf.py", "def three(a, b, c):\n    return False\n\ndef job():\n    pass\n");

        var errors = _files.Load(PythonFunctionFiles.Header + "[a/#]\ntargets = log:info\nfilter = three()\nformat = nosuch()\n[cron]\njob = 5\n").Errors;

        Assert.Equal([9, 10, 12], errors.Select(e => e.Location.Line));
        Assert.Equal("three(a, b, c) (udf.py:1) does not take the arguments of the filter hook: mqttwarn calls it as f(topic, message, section, srv) or f(topic, message)", errors[0].Message);
        Assert.StartsWith("function nosuch() is not defined (defined: three(), job())", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("job() (udf.py:4) does not take the arguments of the [cron] hook: mqttwarn calls it as f(srv)", errors[2].Message);
    }

    [Fact]
    public void A_dotted_module_name_is_found_under_a_parent_of_the_configuration_as_in_mqttwarns_examples()
    {
        _files.Write("examples/homie/homie.py", "def homie_title(data, srv):\n    return 'homie ' + data['topic']\n");
        _files.Write("examples/homie/homie.ini", "[defaults]\nfunctions = examples.homie.homie\nlaunch = log\n[config:log]\ntargets = {'info': ['info']}\n[homie/#]\ntargets = log:info\ntitle = homie_title()\n");

        var loaded = Hub.Config.ConfigLoader.Load(Path.Combine(_files.Directory, "examples/homie/homie.ini"));
        var errors = Hub.PluginHost.FunctionBinder.Bind(loaded.Config!, [], _files.Log, publisher: null);

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(_files.Directory, "examples/homie/homie.py"), loaded.Config!.Defaults.Functions);
        Assert.NotNull(Assert.Single(loaded.Config.Functions.Sections).Value.Title);
    }

    [Fact]
    public void Without_a_usable_libpython_one_error_names_the_debian_package_however_many_py_files_are_configured()
    {
        _files.Write("udf.py", "def f(data):\n    return 1\n").Write("svc.py", "def plugin(srv, item):\n    return True\n");
        var ini = _files.Write("hub.ini", """
            [defaults]
            python = /nonexistent/libpython3.11.so
            functions = udf.py
            launch = svc

            [config:svc]
            module = svc.py

            [a/#]
            targets = svc
            format = f()
            """).Directory;

        var result = GraphBuilder.Build(Path.Combine(ini, "hub.ini"), new GraphEnvironment());

        Assert.Null(result.Graph);
        var error = Assert.Single(result.Errors, e => e.IsError);
        Assert.Contains("install the Debian package libpython3.11 (apt-get install libpython3.11)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void Without_a_py_configured_python_is_never_touched_even_when_the_configured_library_is_missing()
    {
        _files.Write("hub.ini", $"""
            [defaults]
            python = /nonexistent/libpython3.11.so
            plugins = '{Repo.PluginDirectory}'
            launch = log

            [config:log]
            targets = {"{"}'info': ['info']{"}"}

            [a/#]
            targets = log:info
            """);

        var result = GraphBuilder.Build(Path.Combine(_files.Directory, "hub.ini"), new GraphEnvironment());

        Assert.True(result.Graph is not null, string.Join('\n', result.Errors));
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("python", StringComparison.OrdinalIgnoreCase));
        result.Graph.DisposeAsync(unload: true).AsTask().GetAwaiter().GetResult();
    }

    [Fact]
    public void The_library_is_found_from_python3s_sysconfig_and_a_configured_path_that_does_not_exist_is_named()
    {
        var found = PythonLibrary.Find(null, "python3", out var problem);
        var missing = PythonLibrary.Find("/nonexistent/libpython3.11.so", "python3", out var reason);

        Assert.True(found is not null, problem);
        Assert.True(File.Exists(found.Path));
        Assert.StartsWith("libpython3.", Path.GetFileName(found.Path), StringComparison.Ordinal);
        Assert.Null(missing);
        Assert.Equal("[defaults] python = /nonexistent/libpython3.11.so: no such file", reason);
    }

    [Fact]
    public void A_service_module_without_plugin_or_with_other_arguments_is_an_error_at_its_section()
    {
        _files.Write("none.py", "def other(srv, item):\n    return True\n").Write("odd.py", "def plugin(item):\n    return True\n");
        _files.Write("hub.ini", """
            [defaults]
            launch = none, odd

            [config:none]
            module = none.py

            [config:odd]
            module = odd.py

            [a/#]
            targets = none, odd
            """);

        var errors = GraphBuilder.Build(Path.Combine(_files.Directory, "hub.ini"), new GraphEnvironment()).Errors.Where(e => e.IsError).ToList();

        Assert.Contains(errors, e => e.Message == "[config:none]: the Python service module none.py defines no plugin(srv, item)");
        Assert.Contains(errors, e => e.Message == "[config:odd]: plugin() (odd.py:1) does not take the arguments mqttwarn passes: f(srv, item)");
    }

    [Fact]
    public void Starting_python_leaves_plugin_isolation_alone_so_a_missing_dependency_stays_missing()
    {
        Assert.True(PythonRuntime.TryStart(null, out var problem), problem);
        using var temp = new TempDirectory();

        var catalog = Hub.Tests.PluginHost.FixturePlugins.Catalog(temp, "FixtureBroken");

        Assert.False(catalog.TryGet("fixture_broken", out _));
        Assert.Contains("Newtonsoft.Json", Assert.Single(catalog.Errors).Reason, StringComparison.Ordinal);
    }
}
