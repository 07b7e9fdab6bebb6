using Npgsql;

namespace Integration.Host.Security;

/// <summary><c>integration.operator_keys</c>: creates, lists, revokes and checks operator keys (hashes only).</summary>
internal sealed class OperatorKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "id, name, scope, created_at, expires_at, revoked_at, last_used_at";

    /// <summary>How often a key's last use is written (not on every request).</summary>
    private static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);

    /// <summary>Creates a key and returns it with its text, the only time the text exists.</summary>
    public async Task<(OperatorKey Key, string Text)> CreateAsync(string name, OperatorScope scope, TimeSpan? expiresIn, CancellationToken cancellationToken)
    {
        var (id, text) = OperatorKeyText.Create();
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO integration.operator_keys (id, name, scope, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {Columns}");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(OperatorScopes.Name(scope));
        command.Parameters.AddWithValue(OperatorKeyText.Hash(text));
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(expiresIn is { } span ? now + span : (object)DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Read(reader), text);
    }

    public async Task<IReadOnlyList<OperatorKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM integration.operator_keys ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<OperatorKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>Revokes a key; false if there is no such key. Revoking twice keeps the first time.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE integration.operator_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(time.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The key whose text this is, if it exists, matches and is neither revoked nor expired; records its use.</summary>
    public async Task<OperatorKey?> CheckAsync(string text, CancellationToken cancellationToken)
    {
        if (!OperatorKeyText.TryGetId(text, out var id))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand($"SELECT {Columns}, hash FROM integration.operator_keys WHERE id = $1");
        command.Parameters.AddWithValue(id);
        OperatorKey key;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || !OperatorKeyText.Matches(reader.GetFieldValue<byte[]>(7), text))
            {
                return null;
            }

            key = Read(reader);
        }

        var now = time.GetUtcNow();
        if (!key.IsActive(now))
        {
            return null;
        }

        if (key.LastUsedAt is not { } last || now - last >= LastUsedGranularity)
        {
            await using var touch = dataSource.CreateCommand("UPDATE integration.operator_keys SET last_used_at = $2 WHERE id = $1");
            touch.Parameters.AddWithValue(id);
            touch.Parameters.AddWithValue(now);
            await touch.ExecuteNonQueryAsync(cancellationToken);
        }

        return key;
    }

    /// <summary>Whether the key with this id still exists and is neither revoked nor expired (a signed-in session re-checks it).</summary>
    public async Task<bool> IsActiveAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM integration.operator_keys WHERE id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && Read(reader).IsActive(time.GetUtcNow());
    }

    private static OperatorKey Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
}
