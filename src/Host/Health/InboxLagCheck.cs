using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Integration.Host.Health;

/// <summary>
/// Degraded when the oldest delivery still waiting in the inbox has waited longer than <c>Health:InboxLag</c> (default 5
/// minutes): the hosts are not keeping up, or none dispatches. Reports what waits and what went wrong.
/// </summary>
internal sealed class InboxLagCheck(NpgsqlDataSource dataSource, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = configuration.GetValue("Health:InboxLag", TimeSpan.FromMinutes(5));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var (waiting, oldest, failed, poisoned) = await connection.QuerySingleAsync<(long, double?, long, long)>(new CommandDefinition("""
                SELECT count(*) FILTER (WHERE status = 'received'),
                       extract(epoch FROM now() - min(received_at) FILTER (WHERE status = 'received'))::float8,
                       count(*) FILTER (WHERE status = 'failed'),
                       count(*) FILTER (WHERE status = 'poisoned')
                FROM integration.inbox WHERE status IN ('received', 'failed', 'poisoned')
                """, cancellationToken: cancellationToken));
            var data = new Dictionary<string, object>
            {
                ["waiting"] = waiting, ["oldestWaitSeconds"] = Math.Round(oldest ?? 0, 1), ["failed"] = failed, ["poisoned"] = poisoned,
            };
            return oldest is { } seconds && seconds > limit.TotalSeconds
                ? HealthCheckResult.Degraded($"{waiting} deliveries waiting, the oldest for {TimeSpan.FromSeconds(Math.Round(seconds)):c} (limit {limit:c})", data: data)
                : HealthCheckResult.Healthy($"{waiting} deliveries waiting", data);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The inbox cannot be read", ex);
        }
    }
}
