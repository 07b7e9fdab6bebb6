using Npgsql;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// A flow's turn to run from a schedule, across hosts: a session advisory lock on a connection of its own, let go
/// when disposed (closing would only return the connection to the pool, still holding it) or when a host dies.
/// </summary>
internal sealed class FlowScheduleTurn : IAsyncDisposable
{
    private const string Key = "hashtext('flows.schedules.turn:' || $1)";
    private readonly NpgsqlConnection _connection;
    private readonly string _definitionId;

    private FlowScheduleTurn(NpgsqlConnection connection, string definitionId)
    {
        _connection = connection;
        _definitionId = definitionId;
    }

    /// <summary>Waits until no other schedule of the flow runs, on any host.</summary>
    public static async Task<FlowScheduleTurn> TakeAsync(NpgsqlDataSource dataSource, string definitionId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection) { Parameters = { new() { Value = definitionId } } };
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new FlowScheduleTurn(connection, definitionId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection) { Parameters = { new() { Value = _definitionId } } };
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
