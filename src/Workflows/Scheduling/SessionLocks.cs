using Dapper;
using Npgsql;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// Letting go of a PostgreSQL session advisory lock on a pooled connection. The host's pool does not reset sessions
/// (no <c>pg_advisory_unlock_all()</c> when a connection comes back), so a connection whose unlock failed while it
/// still holds the lock is kept out of the pool.
/// </summary>
public static class SessionLocks
{
    /// <summary>Runs <paramref name="unlockSql"/> (a <c>pg_advisory_unlock</c>); when it fails, clears the pool before rethrowing.</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, string unlockSql, object? parameters)
    {
        try
        {
            await connection.ExecuteAsync(unlockSql, parameters);
        }
        catch
        {
            NpgsqlConnection.ClearPool(connection);
            throw;
        }
    }
}
