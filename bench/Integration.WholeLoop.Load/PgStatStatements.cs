using Npgsql;

namespace Integration.WholeLoop.Load;

/// <summary>
/// The statements PostgreSQL spent its time on during the measured window, when the cluster preloads
/// <c>pg_stat_statements</c> (bench/loop.sh starts it so); without it the report has no such table.
/// </summary>
public static class PgStatStatements
{
    /// <summary>Creates the extension if needed and clears its counts; false when the server does not preload it.</summary>
    public static async Task<bool> ResetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            await using var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
            await reset.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    /// <summary>
    /// The <paramref name="count"/> statements with the most total execution time, or with the most calls when
    /// <paramref name="byCalls"/> (round trips: where an order's statements and commits come from).
    /// </summary>
    public static async Task<IReadOnlyList<StatementTime>> TopAsync(NpgsqlConnection connection, int count, bool byCalls, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT regexp_replace(query, '\s+', ' ', 'g'), calls, total_exec_time, mean_exec_time, rows
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY {(byCalls ? "calls" : "total_exec_time")} DESC LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("count", count);
        var top = new List<StatementTime>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            top.Add(new StatementTime(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }

        return top;
    }
}

/// <summary>One statement's share: calls, total and mean execution time in ms, rows.</summary>
public sealed record StatementTime(string Query, long Calls, double TotalMs, double MeanMs, long Rows);
