using System.Diagnostics.Metrics;

namespace Integration.Host.Webhooks;

/// <summary>
/// Webhook intake as OpenTelemetry sees it (meter <see cref="Name"/>): every delivery by source and what became of it:
/// <c>stored</c>, <c>duplicate</c>, <c>poisoned</c> (kept, raised), <c>refused</c> (bad signature), <c>unknown-store</c>,
/// <c>too-large</c>, <c>too-slow</c> (a body not received within <c>Webhooks:BodyReadTimeout</c>), <c>ping</c>,
/// <c>unavailable</c> (not stored, the store retries).
/// </summary>
public sealed class WebhookMetrics
{
    public const string Name = "Integration.Webhooks";

    // One meter for the process, never disposed: a meter per host (IMeterFactory) shares its stream with every other
    // host in the process (tests run several), and disposing one host reset the counter the others report.
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("integration.webhooks.deliveries", description: "Webhook deliveries received, by source and outcome.");

    public void Received(string source, string outcome) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcome));
}
