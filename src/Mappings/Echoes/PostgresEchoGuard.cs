using Dapper;
using Npgsql;

namespace Integration.Mappings.Echoes;

/// <summary>The echo guard in PostgreSQL (<c>integration.echo_fingerprint</c>), shared by every host; entries older than the expiry are ignored and purged.</summary>
public sealed class PostgresEchoGuard(NpgsqlDataSource dataSource, TimeProvider time, TimeSpan expiry) : IEchoGuard
{
    public async ValueTask<EchoSet> RecentAsync(string system, string entity, string recordId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition("""
            SELECT system AS System, entity AS Entity, record_id AS RecordId, field AS Field, value_hash AS ValueHash, written_at AS WrittenAt
            FROM integration.echo_fingerprint
            WHERE system = @system AND entity = @entity AND record_id = @recordId AND written_at > @since
            """, new { system, entity, recordId, since = time.GetUtcNow() - expiry }, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0 ? EchoSet.Empty : new EchoSet(rows.Select(r => new EchoFingerprint(r.System, r.Entity, r.RecordId, r.Field, r.ValueHash, r.WrittenAt)));
    }

    public async ValueTask RecordAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default)
    {
        if (fingerprints.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = connection.CreateBatch();
        foreach (var f in fingerprints)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO integration.echo_fingerprint (system, entity, record_id, field, value_hash, written_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (system, entity, record_id, field) DO UPDATE SET value_hash = excluded.value_hash, written_at = excluded.written_at
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = f.System });
            command.Parameters.Add(new NpgsqlParameter { Value = f.Entity });
            command.Parameters.Add(new NpgsqlParameter { Value = f.RecordId });
            command.Parameters.Add(new NpgsqlParameter { Value = f.Field });
            command.Parameters.Add(new NpgsqlParameter { Value = f.ValueHash });
            command.Parameters.Add(new NpgsqlParameter { Value = f.WrittenAt.ToUniversalTime() });
            batch.BatchCommands.Add(command);
        }

        // Expired entries go with each write, so the table stays the size of the echoes still awaited.
        var purge = new NpgsqlBatchCommand("DELETE FROM integration.echo_fingerprint WHERE written_at <= $1");
        purge.Parameters.Add(new NpgsqlParameter { Value = (time.GetUtcNow() - expiry).ToUniversalTime() });
        batch.BatchCommands.Add(purge);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask ConsumeAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default)
    {
        if (fingerprints.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var f in fingerprints)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM integration.echo_fingerprint
                WHERE system = @System AND entity = @Entity AND record_id = @RecordId AND field = @Field AND value_hash = @ValueHash
                """, f, cancellationToken: cancellationToken));
        }
    }

    private sealed record Row(string System, string Entity, string RecordId, string Field, string ValueHash, DateTime WrittenAt);
}
