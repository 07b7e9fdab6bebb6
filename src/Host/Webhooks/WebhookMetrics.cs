using System.Diagnostics.Metrics;

namespace Integration.Host.Webhooks;

/// <summary>
/// Webhook intake as OpenTelemetry sees it (meter <see cref="Name"/>): every delivery by source and what became of it:
/// <c>stored</c>, <c>duplicate</c>, <c>poisoned</c> (kept, raised), <c>refused</c> (bad signature), <c>unknown-store</c>,
/// <c>too-large</c>, <c>ping</c>, <c>unavailable</c> (not stored, the store retries).
/// </summary>
public sealed class WebhookMetrics
{
    public const string Name = "Integration.Webhooks";

    private readonly Counter<long> _deliveries;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _deliveries = meter.CreateCounter<long>("integration.webhooks.deliveries", description: "Webhook deliveries received, by source and outcome.");
    }

    public void Received(string source, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcome));
}
