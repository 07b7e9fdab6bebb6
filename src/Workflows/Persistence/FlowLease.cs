using Integration.Workflows.Execution;

namespace Integration.Workflows.Persistence;

/// <summary>
/// One run's lease, held while it runs on this host: <see cref="CheckpointAsync"/> stores the run in flight (in a
/// transaction of its own, so it survives the host) and starts the heartbeat; disposing stops it.
/// </summary>
public sealed class FlowLease : IAsyncDisposable
{
    private readonly FlowLeases _leases;
    private readonly string _definitionId;
    private readonly int _version;
    private readonly string? _trigger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _heartbeat;

    // The run has a row (dispatched, resumed, or saved once): a save that finds none must not store it anew.
    private bool _stored;

    internal FlowLease(FlowLeases leases, string definitionId, int version, string? trigger, Guid? instanceId)
    {
        _leases = leases;
        _definitionId = definitionId;
        _version = version;
        _trigger = trigger;
        if (instanceId is { } id)
        {
            _stored = true;
            StartHeartbeat(id);
        }
    }

    public string Owner => _leases.Owner;

    /// <summary>The run has a row already: a save that finds it gone stores nothing.</summary>
    public bool Stored => _stored;

    public async Task CheckpointAsync(FlowRunState state, CancellationToken cancellationToken)
    {
        if (!await SaveAsync(state, cancellationToken))
        {
            throw new InvalidOperationException($"Run {state.InstanceId} is no longer this host's to store (cancelled, or taken over by another host): it stops here");
        }

        StartHeartbeat(Guid.Parse(state.InstanceId));
    }

    /// <summary>Stores the run: in flight, with this host's lease; stopped (finished, suspended, faulted), giving it up.</summary>
    public async Task<bool> SaveAsync(FlowRunState state, CancellationToken cancellationToken)
    {
        var saved = await FlowInstanceStore.SaveCommittedAsync(_leases.DataSource, _definitionId, _version, _trigger, state, Owner, _leases.Ttl, _stored, cancellationToken);
        _stored |= saved;
        return saved;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_heartbeat is not null)
        {
            await _heartbeat.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private void StartHeartbeat(Guid instanceId)
    {
        _heartbeat ??= Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_leases.Ttl / 3, _leases.Time);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await _leases.RenewAsync(instanceId, _stop.Token);
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
                {
                    _leases.HeartbeatFailed(instanceId, ex);
                }
            }
        });
    }
}
