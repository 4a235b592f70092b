using System.Text;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins;

public sealed class FileSinkTests
{
    [Fact]
    public async Task Messages_are_appended_with_a_newline_when_asked()
    {
        using var temp = new TempDirectory();
        var sink = BuiltInPlugins.Create("file", new TestPluginContext(Some.Dict(("append_newline", true))));
        var path = temp.File("out.log");
        await sink.SendAsync(Some.Item("one", Some.List(path), Some.Dict(("append_newline", true))), CancellationToken.None);
        await sink.SendAsync(Some.Item("two", Some.List(path), Some.Dict(("append_newline", true))), CancellationToken.None);
        Assert.Equal("one\ntwo\n", File.ReadAllText(path));
        ((IDisposable)sink).Dispose();
    }

    [Fact]
    public async Task Overwrite_keeps_only_the_last_message_and_a_dict_target_wins_over_the_service()
    {
        using var temp = new TempDirectory();
        var path = temp.File("latest");
        var service = Some.Dict(("append_newline", true));
        var target = Some.Dict(("path", path), ("overwrite", true), ("append_newline", false));
        var sink = BuiltInPlugins.Create("file", new TestPluginContext(service));
        await sink.SendAsync(Some.Item("first", target, service), CancellationToken.None);
        await sink.SendAsync(Some.Item("second", target, service), CancellationToken.None);
        Assert.Equal("second", File.ReadAllText(path));
    }

    [Fact]
    public async Task The_path_is_formatted_with_the_data_and_missing_directories_are_created()
    {
        using var temp = new TempDirectory();
        var sink = BuiltInPlugins.Create("file", new TestPluginContext());
        var data = Some.Dict(("device", "kitchen"), ("topic", "t"));
        await sink.SendAsync(Some.Item("21.5", Some.List(Path.Combine(temp.Path, "{device}", "temp.log")), data: data), CancellationToken.None);
        Assert.Equal("21.5", File.ReadAllText(Path.Combine(temp.Path, "kitchen", "temp.log")));
        ((IDisposable)sink).Dispose();
    }

    [Fact]
    public async Task Binary_messages_are_written_byte_for_byte()
    {
        using var temp = new TempDirectory();
        var path = temp.File("snapshot.bin");
        var bytes = new byte[] { 0xFF, 0xD8, 0x00, 0x80, 0x0A, 0xFE };
        var sink = BuiltInPlugins.Create("file", new TestPluginContext());
        var item = Some.Item("x", Some.List(path));
        item = new Hub.Plugins.DeliveryItem
        {
            Service = item.Service, Section = item.Section, Topic = item.Topic, Target = item.Target, Addrs = item.Addrs,
            Message = Encoding.UTF8.GetString(bytes), MessageBytes = bytes, IsBinary = true, Payload = bytes,
        };
        await sink.SendAsync(item, CancellationToken.None);
        ((IDisposable)sink).Dispose();
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task TMPDIR_in_a_path_is_the_system_temp_directory()
    {
        var name = $"hub-tmpdir-{Guid.NewGuid():N}.txt";
        var sink = BuiltInPlugins.Create("file", new TestPluginContext());
        await sink.SendAsync(Some.Item("x", Some.List($"$TMPDIR/{name}")), CancellationToken.None);
        ((IDisposable)sink).Dispose();
        var path = Path.Combine(Path.GetTempPath(), name);
        Assert.Equal("x", File.ReadAllText(path));
        File.Delete(path);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_target_without_a_path_is_a_configuration_error(string? path) =>
        Assert.NotEmpty(BuiltInPlugins.Validate("file", path is null ? Some.List() : Some.List(path)));

    [Fact]
    public void A_non_boolean_append_newline_is_a_configuration_error()
    {
        var activation = BuiltInPlugins.Activate("file", Some.Dict(("append_newline", "maybe")));
        Assert.Null(activation.Instance);
        var problem = Assert.Single(activation.Diagnostics);
        Assert.Equal("append_newline", problem.Key);
        Assert.Contains("must be a boolean", problem.Message);
    }

    [Fact]
    public void A_descriptor_that_is_neither_a_path_list_nor_a_dict_is_a_target_error() =>
        Assert.Equal(["the target must be ['/path/to/file'] or {'path': '/path/to/file'}, not 42"], BuiltInPlugins.Validate("file", 42L));

    [Fact]
    public void An_unknown_key_or_a_path_that_is_not_text_in_a_dict_target_is_a_target_error()
    {
        Assert.Contains("unknown key 'bad'", Assert.Single(BuiltInPlugins.Validate("file", Some.Dict(("path", "/tmp/x"), ("bad", 42L)))), StringComparison.Ordinal);
        Assert.Equal(["'path' must be text, not 42"], BuiltInPlugins.Validate("file", Some.Dict(("path", 42L))));
        Assert.Equal(["the file path must be text, not 42"], BuiltInPlugins.Validate("file", Some.List(42L)));
    }

    [Fact]
    public void A_non_boolean_append_newline_in_a_dict_target_is_a_target_error() =>
        Assert.Contains(BuiltInPlugins.Validate("file", Some.Dict(("path", "/tmp/x"), ("append_newline", "maybe"))), p => p.Contains("append_newline"));

    [Fact]
    public void An_unknown_option_is_a_warning_that_names_the_known_ones()
    {
        var activation = BuiltInPlugins.Activate("file", Some.Dict(("append_newlines", true)));
        Assert.NotNull(activation.Instance);
        var warning = Assert.Single(activation.Diagnostics);
        Assert.False(warning.IsError);
        Assert.Contains("append_newline, overwrite", warning.Message);
    }

    [Fact]
    public async Task A_batch_is_appended_in_order_with_one_line_per_message()
    {
        using var temp = new TempDirectory();
        var path = temp.File("batch.log");
        var service = Some.Dict(("append_newline", true));
        var target = Some.List(path);
        var sink = (Hub.Plugins.IBatchSink)BuiltInPlugins.Create("file", new TestPluginContext(service));
        var items = Enumerable.Range(0, 300).Select(i => Some.Item($"m{i}", target, service)).ToList();
        await sink.SendBatchAsync(items.Take(256).ToList(), CancellationToken.None);
        await sink.SendBatchAsync(items.Skip(256).ToList(), CancellationToken.None);
        ((IDisposable)sink).Dispose();
        Assert.Equal(string.Concat(Enumerable.Range(0, 300).Select(i => $"m{i}\n")), File.ReadAllText(path));
    }

    [Fact]
    public async Task A_batch_with_templated_paths_sends_each_message_to_its_own_file()
    {
        using var temp = new TempDirectory();
        var target = Some.List(Path.Combine(temp.Path, "{device}.log"));
        var sink = (Hub.Plugins.IBatchSink)BuiltInPlugins.Create("file", new TestPluginContext());
        await sink.SendBatchAsync([
            Some.Item("a1", target, data: Some.Dict(("device", "a"))),
            Some.Item("b1", target, data: Some.Dict(("device", "b"))),
            Some.Item("a2", target, data: Some.Dict(("device", "a"))),
        ], CancellationToken.None);
        ((IDisposable)sink).Dispose();
        Assert.Equal("a1a2", File.ReadAllText(Path.Combine(temp.Path, "a.log")));
        Assert.Equal("b1", File.ReadAllText(Path.Combine(temp.Path, "b.log")));
    }

    [Fact]
    public async Task With_allowed_dirs_a_path_from_payload_data_cannot_escape_them()
    {
        using var temp = new TempDirectory();
        var inside = Path.Combine(temp.Path, "out");
        var sink = BuiltInPlugins.Create("file", new TestPluginContext(Some.Dict(("allowed_dirs", Some.List(inside))), temp.Path));

        await sink.SendAsync(Some.Item("ok", Some.List(inside + "/{name}.log"), data: Some.Dict(("name", "kitchen"))), CancellationToken.None);
        Assert.Equal("ok", File.ReadAllText(Path.Combine(inside, "kitchen.log")));

        var escape = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await sink.SendAsync(Some.Item("pwned", Some.List(inside + "/{name}.log"), data: Some.Dict(("name", "../../etc/evil"))), CancellationToken.None));
        DeliveryFailures.AssertPermanent(escape);
        Assert.Contains("is outside allowed_dirs", escape.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(temp.Path, "etc", "evil.log")));
    }

    [Fact]
    public void With_allowed_dirs_a_fixed_path_outside_them_is_a_configuration_error()
    {
        var problems = BuiltInPlugins.Validate("file", Some.List("/var/tmp/elsewhere.log"), Some.Dict(("allowed_dirs", "/srv/hub, /var/log/hub")));
        Assert.Contains(problems, p => p.Contains("path '/var/tmp/elsewhere.log' is outside allowed_dirs (/srv/hub/, /var/log/hub/)", StringComparison.Ordinal));
        Assert.Empty(BuiltInPlugins.Validate("file", Some.List("/srv/hub/a.log"), Some.Dict(("allowed_dirs", "/srv/hub, /var/log/hub"))));
    }

    [Fact]
    public async Task A_target_bound_once_serves_every_message_and_batch_without_its_descriptor_being_parsed_again()
    {
        using var temp = new TempDirectory();
        var path = temp.File("out.log");
        var service = Some.Dict(("append_newline", true));
        var sink = BuiltInPlugins.Create("file", new TestPluginContext(service));
        var bound = BuiltInPlugins.Bind(sink, Some.List(path));
        Hub.Plugins.DeliveryItem Item(string message) => BuiltInPlugins.WithBinding(Some.Item(message, Some.List(path), service), bound);

        await sink.SendAsync(Item("one"), CancellationToken.None);
        await sink.SendAsync(Item("two"), CancellationToken.None);
        await ((Hub.Plugins.IBatchSink)sink).SendBatchAsync([Item("three"), Item("four")], CancellationToken.None);
        ((IDisposable)sink).Dispose();

        Assert.Equal("one\ntwo\nthree\nfour\n", File.ReadAllText(path));
    }
}
