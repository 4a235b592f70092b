using Hub.Diagnostics;
using Prometheus;

namespace Hub.Web;

/// <summary>
/// The bridge from the hub's <see cref="HubMetrics.Meter"/> to prometheus-net: a registry of its own (no default
/// process metrics, nothing shared between hosts in one process) fed only by that meter's instruments.
/// </summary>
internal sealed class MetricsExport : IDisposable
{
    private readonly IDisposable _adapter;

    public MetricsExport(HubMetrics metrics)
    {
        Registry = Metrics.NewCustomRegistry();
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            // Without this the adapter's metrics land in prometheus-net's default registry, not in ours.
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, metrics.Meter),
        });
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _adapter.Dispose();
}
