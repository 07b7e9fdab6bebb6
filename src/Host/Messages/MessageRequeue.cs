using Dapper;
using Npgsql;

namespace Integration.Host.Messages;

/// <summary>
/// Hands handled rows of a message table (<c>integration.inbox</c>, <c>integration.outbox</c>) back to its dispatchers
/// at an operator's request: their status becomes the waiting one, and their note says who asked and what they were
/// (<c>dispatched again at the request of KEY (was STATUS: ...)</c>) until the dispatcher writes the new outcome.
/// </summary>
internal sealed class MessageRequeue(NpgsqlDataSource dataSource, string table, string waitingStatus, IReadOnlyList<string> requeueable)
{
    /// <summary>The statuses a row may be handed back from.</summary>
    public IReadOnlyList<string> Requeueable => requeueable;

    /// <summary>Hands one row back: its status before and whether it went back (not from a status outside <see cref="Requeueable"/>); null when there is no such row.</summary>
    public async Task<(string PreviousStatus, bool Requeued)?> OneAsync(long id, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT status FROM {table} WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (status is null || !requeueable.Contains(status))
        {
            return status is null ? null : (status, false);
        }

        await RequeueAsync(connection, transaction, "id = @id", new { id, requestedBy }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (status, true);
    }

    /// <summary>
    /// Hands back the rows <paramref name="select"/> names (a query of ids over the table, with its parameters in
    /// <paramref name="parameters"/> beside <c>requestedBy</c>); returns how many went back.
    /// </summary>
    public async Task<int> ManyAsync(string select, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var requeued = await RequeueAsync(connection, transaction, $"id IN ({select})", parameters, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return requeued;
    }

    private Task<int> RequeueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string where, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE {table}
            SET status = '{waitingStatus}',
                error = left('dispatched again at the request of ' || @requestedBy || ' (was ' || status || coalesce(': ' || error, '') || ')', 4000)
            WHERE {where}
            """, parameters, transaction, cancellationToken: cancellationToken));
}
