using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Integration.Workflows.Connectors;

/// <summary>
/// Degraded while a connector's client has paused a store as down (<see cref="OutageBreaker"/>): its runs fail at once
/// with transient incidents until a trial call passes. Names the stores; healthy stores are not listed.
/// </summary>
public sealed class PausedStoresHealthCheck(string connector, Func<IReadOnlyList<string>> pausedStores) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var paused = pausedStores();
        return Task.FromResult(paused.Count == 0
            ? HealthCheckResult.Healthy($"no {connector} store paused")
            : HealthCheckResult.Degraded($"{connector} calls paused (every call failed after its retries): {string.Join(", ", paused)}",
                data: new Dictionary<string, object> { ["paused"] = paused }));
    }

    /// <summary>The check's registration, named <c>{connector}-stores</c> in lower case, in <c>/health</c>'s details.</summary>
    public static HealthCheckRegistration Registration(string connector, Func<IServiceProvider, Func<IReadOnlyList<string>>> pausedStores) =>
        new($"{connector.ToLowerInvariant()}-stores", services => new PausedStoresHealthCheck(connector, pausedStores(services)), HealthStatus.Degraded, ["detail"]);
}
