using Dapper;
using Npgsql;

namespace Integration.Host.Messages;

/// <summary>
/// An operator's change of status of rows of a message table (<c>integration.inbox</c>, <c>integration.outbox</c>):
/// handing handled rows back to the dispatchers, or dismissing failed ones. The row's note says what was done, at whose
/// request, and what it was (<c>dispatched again at the request of KEY (was failed: ...)</c>).
/// </summary>
internal sealed class MessageStatusChange(NpgsqlDataSource dataSource, string table)
{
    /// <summary>
    /// Moves one row from one of <paramref name="from"/> to <paramref name="to"/>: its status before and whether it moved;
    /// null when there is no such row.
    /// </summary>
    public async Task<(string PreviousStatus, bool Changed)?> OneAsync(
        long id, IReadOnlyList<string> from, string to, string done, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT status FROM {table} WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (status is null || !from.Contains(status))
        {
            return status is null ? null : (status, false);
        }

        await ChangeAsync(connection, transaction, "id = @id", to, new { id, note = $"{done} at the request of {requestedBy}" }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (status, true);
    }

    /// <summary>
    /// Moves the rows <paramref name="select"/> names (a query of ids over the table, with its parameters in
    /// <paramref name="parameters"/>) to <paramref name="to"/>; returns how many moved.
    /// </summary>
    public async Task<int> ManyAsync(string select, DynamicParameters parameters, string to, string done, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        parameters.Add("note", $"{done} at the request of {requestedBy}");
        var changed = await ChangeAsync(connection, transaction, $"id IN ({select})", to, parameters, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    // The note keeps what the row was until a dispatcher writes a new outcome.
    private Task<int> ChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string where, string to, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE {table}
            SET status = '{to}', error = left(@note || ' (was ' || status || coalesce(': ' || error, '') || ')', 4000)
            WHERE {where}
            """, parameters, transaction, cancellationToken: cancellationToken));
}
