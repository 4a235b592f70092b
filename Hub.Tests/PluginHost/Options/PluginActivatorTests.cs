using Hub.PluginHost;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.PluginHost.Options;

public sealed class PluginActivatorTests
{
    public sealed class GreetingOptions
    {
        public string Greeting { get; set; } = "Hello";
    }

    public sealed class WithBoth(IPluginContext context, GreetingOptions options) : ISink
    {
        public string Seen => $"{context.ServiceName}:{options.Greeting}";
        public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public sealed class OptionsOnly(GreetingOptions options) : ISink
    {
        public string Greeting => options.Greeting;
        public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public sealed class Parameterless : IMessageFilter
    {
        public ValueTask<bool> AcceptAsync(PipelineMessage message, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }

    public sealed class CountOptions
    {
        public int Count { get; set; }
    }

    public sealed class Exploding : ISink
    {
        public Exploding(CountOptions options) => throw new InvalidOperationException($"constructed with {options.Count}");
        public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public sealed class Failing : ISink
    {
        public Failing(IPluginContext context) => throw new InvalidOperationException($"no connection for {context.ServiceName}");
        public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static PluginDescriptor Describe(Type type) => new("p", type, "/plugins/P/P.dll", null, "1.0.0");

    [Fact]
    public void The_constructor_gets_the_context_and_the_bound_options()
    {
        var sink = (WithBoth)PluginActivator.Create(Describe(typeof(WithBoth)), new TestPluginContext(Some.Dict(("greeting", "Hi"))) { ServiceName = "s" });
        Assert.Equal("s:Hi", sink.Seen);
    }

    [Fact]
    public void A_constructor_may_take_only_the_options()
    {
        var sink = (OptionsOnly)PluginActivator.Create(Describe(typeof(OptionsOnly)), new TestPluginContext());
        Assert.Equal("Hello", sink.Greeting);
    }

    [Fact]
    public void Any_kind_of_plugin_can_be_created()
    {
        var activation = PluginActivator.Activate(Describe(typeof(Parameterless)), new TestPluginContext(Some.Dict(("anything", 1L))));
        Assert.IsType<Parameterless>(activation.Instance);
        Assert.Empty(activation.Diagnostics); // without an options class the plugin reads its raw options itself
    }

    [Fact]
    public void A_filter_is_not_a_sink()
    {
        var error = Assert.Throws<PluginActivationException>(() => PluginActivator.Create(Describe(typeof(Parameterless)), new TestPluginContext()));
        Assert.Contains("is a filter, not a sink", error.Message);
    }

    [Fact]
    public void Option_errors_prevent_the_constructor_from_running()
    {
        var activation = PluginActivator.Activate(Describe(typeof(Exploding)), new TestPluginContext(Some.Dict(("count", "many"))));
        Assert.Null(activation.Instance);
        Assert.Equal("option 'count': must be an integer, not 'many'", Assert.Single(activation.Diagnostics).ToString());
    }

    [Fact]
    public void A_throwing_constructor_is_reported_with_the_plugin_name_and_reason()
    {
        var error = Assert.Throws<PluginActivationException>(() => PluginActivator.Create(Describe(typeof(Failing)), new TestPluginContext { ServiceName = "db" }));
        Assert.Equal("plugin 'p' failed to start: no connection for db", error.Message);
    }
}
