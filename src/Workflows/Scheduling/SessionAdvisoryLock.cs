using Npgsql;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// A PostgreSQL session advisory lock (named by text) held on a connection of its own, across hosts: let go when
/// disposed, or when the host dies. Closing the connection alone would only return it to the pool, still holding it
/// (the host's pool does not reset sessions).
/// </summary>
internal sealed class SessionAdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _name;

    private SessionAdvisoryLock(NpgsqlConnection connection, string name)
    {
        _connection = connection;
        _name = name;
    }

    /// <summary>Waits until no other session holds the lock <paramref name="name"/>, then holds it.</summary>
    public static async Task<SessionAdvisoryLock> TakeAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext($1))", connection) { Parameters = { new() { Value = name } } };
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new SessionAdvisoryLock(connection, name);
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
            await SessionLocks.ReleaseAsync(_connection, "SELECT pg_advisory_unlock(hashtext(@name))", new { name = _name });
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
