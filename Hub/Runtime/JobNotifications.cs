using System.Text;
using Hub.Plugins;

namespace Hub.Runtime;

/// <summary>
/// How a job sends a notification (a report, a correlation): a <see cref="DeliveryItem"/> queued on the target's queue
/// of the generation in force, so it gets the target's normal delivery (retries, failover, journal).
/// </summary>
internal static class JobNotifications
{
    public static Func<string, string, string, IReadOnlyDictionary<string, object?>, CancellationToken, ValueTask> For(Func<HubGeneration> current) =>
        async (reference, title, message, data, cancellationToken) =>
        {
            var generation = current();
            var parts = reference.Split(':', 2);
            var service = generation.Config.FindService(parts[0]) ?? throw new InvalidOperationException($"unknown service '{parts[0]}' in a job's targets");
            var targets = generation.Graph.TargetsOf(service).Where(t => parts.Length == 1 || t.Target.Name == parts[1]).ToList();
            if (targets.Count == 0)
            {
                throw new InvalidOperationException($"service '{service.Name}' has no target '{parts[^1]}'");
            }

            var bytes = Encoding.UTF8.GetBytes(message);
            foreach (var target in targets)
            {
                if (!generation.Queues.TryGetValue(target.Key, out var queue))
                {
                    throw new InvalidOperationException($"{target.DisplayName} has no delivery queue (not a sink)");
                }

                await queue.EnqueueAsync(new DeliveryItem
                {
                    Service = service.Name,
                    Section = "job",
                    Target = target.Target.Name,
                    Addrs = target.Target.Descriptor,
                    Bound = target.Bound,
                    Config = service.Options,
                    Topic = "hub/jobs",
                    Payload = bytes,
                    Data = data,
                    Message = message,
                    MessageBytes = bytes,
                    Title = title,
                }, cancellationToken).ConfigureAwait(false);
            }
        };
}
