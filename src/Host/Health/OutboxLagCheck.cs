using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Integration.Host.Health;

/// <summary>
/// Degraded when the oldest ERP event still pending has waited longer than <c>Health:OutboxLag</c> (default 5 minutes),
/// or when events failed: a change the stores should have (stock, an item, a price) did not reach its flows.
/// </summary>
internal sealed class OutboxLagCheck(NpgsqlDataSource dataSource, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = configuration.GetValue("Health:OutboxLag", TimeSpan.FromMinutes(5));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (pending, oldest, failed) = await connection.QuerySingleAsync<(long, double?, long)>(new CommandDefinition("""
                SELECT count(*) FILTER (WHERE status = 'pending'),
                       extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending'))::float8,
                       count(*) FILTER (WHERE status = 'failed')
                FROM integration.outbox WHERE status IN ('pending', 'failed')
                """, cancellationToken: cancellationToken));
            var data = new Dictionary<string, object> { ["pending"] = pending, ["oldestWaitSeconds"] = Math.Round(oldest ?? 0, 1), ["failed"] = failed };
            if (oldest is { } seconds && seconds > limit.TotalSeconds)
            {
                return HealthCheckResult.Degraded($"{pending} ERP events pending, the oldest for {TimeSpan.FromSeconds(Math.Round(seconds)):c} (limit {limit:c})", data: data);
            }

            return failed > 0
                ? HealthCheckResult.Degraded($"{failed} ERP events failed (GET /api/outbox?status=failed)", data: data)
                : HealthCheckResult.Healthy($"{pending} ERP events pending", data);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The outbox cannot be read", ex);
        }
    }
}
