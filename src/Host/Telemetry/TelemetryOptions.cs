namespace Integration.Host.Telemetry;

/// <summary>
/// <c>Telemetry</c>: metrics on <see cref="PrometheusPath"/> for a Prometheus scraper (empty turns it off), and
/// metrics and traces sent over OTLP to <see cref="OtlpEndpoint"/> when one is set (a collector, Jaeger, Tempo...).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public string PrometheusPath { get; set; } = "/metrics";

    public Uri? OtlpEndpoint { get; set; }

    public string ServiceName { get; set; } = "integration-host";
}
