using System.Text.Json;
using Dapper;
using Integration.Workflows.Execution;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Sub-flows stored as runs of their own. Dispatched runs are stored ready to go (Running, with a lease already run out), so whichever host's
/// <see cref="Triggers.BookmarkResumer"/> comes first starts them; the same instance id is stored once.
/// </summary>
internal sealed class FlowDispatcher(NpgsqlDataSource dataSource) : IFlowDispatcher
{
    public async Task DispatchAsync(string definitionId, int version, Guid instanceId, IReadOnlyDictionary<string, object?> input, string? correlationId, string trigger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO flows.instance (id, definition_id, version, status, correlation_id, trigger, input, lease_expires_at)
            VALUES (@instanceId, @definitionId, @version, 'Running', @correlationId, @trigger, @input::json, '-infinity')
            ON CONFLICT (id) DO NOTHING
            """, new { instanceId, definitionId, version, correlationId, trigger, input = JsonSerializer.Serialize(input, JsonSerializerOptions.Web) });
    }

    public Task RecordAsync(string definitionId, int version, FlowRunState state, string trigger, CancellationToken cancellationToken) =>
        FlowInstanceStore.SaveCommittedAsync(dataSource, definitionId, version, trigger, state, owner: null, leaseTtl: null, stored: false, cancellationToken);
}
