using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// This host's leases on runs in flight. A run that checkpoints (after an activity with an external effect) is stored
/// as Running, owned by this host until <c>lease_expires_at</c>, which a heartbeat pushes forward while the run goes
/// on. When a host dies its heartbeats stop, the lease runs out, and another host takes the run over from its last
/// checkpoint (see <see cref="Triggers.BookmarkResumer"/>). Expiry is set and judged on the database's clock
/// (<c>now()</c>), so a host whose clock runs ahead cannot take over runs that are still alive elsewhere.
/// </summary>
public sealed class FlowLeases(NpgsqlDataSource dataSource, TimeProvider time, IOptions<FlowLeaseOptions> options, ILogger<FlowLeases> logger)
{
    /// <summary>Who holds the leases of this host: machine, process and a random part (a restarted host is someone else).</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public TimeSpan Ttl => options.Value.Ttl;

    /// <summary>A lease for a new run (taken at its first checkpoint).</summary>
    public FlowLease Begin(string definitionId, int version, string? trigger) => new(this, definitionId, version, trigger, instanceId: null);

    /// <summary>A lease for a run this host has just claimed (held from now on).</summary>
    public FlowLease Claimed(Guid instanceId, string definitionId, int version, string? trigger) => new(this, definitionId, version, trigger, instanceId);

    internal NpgsqlDataSource DataSource => dataSource;

    internal TimeProvider Time => time;

    internal async Task RenewAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var renewed = await connection.ExecuteAsync(
            "UPDATE flows.instance SET lease_expires_at = now() + @Ttl WHERE id = @instanceId AND lease_owner = @Owner AND status = 'Running'",
            new { instanceId, Ttl, Owner });
        if (renewed == 0)
        {
            logger.LogWarning("Lost the lease on run {InstanceId}", instanceId);
        }
    }

    internal void HeartbeatFailed(Guid instanceId, Exception ex) => logger.LogWarning(ex, "Heartbeat of run {InstanceId} failed", instanceId);
}

/// <summary>How long a host's lease on a run in flight lasts without a heartbeat (it beats three times per period).</summary>
public sealed class FlowLeaseOptions
{
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(30);
}
