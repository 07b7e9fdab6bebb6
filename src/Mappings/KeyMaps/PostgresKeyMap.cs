using Dapper;
using Npgsql;

namespace Integration.Mappings.KeyMaps;

/// <summary>The key map in PostgreSQL (<c>integration.key_map</c>, <c>integration.key_match</c>).</summary>
public sealed class PostgresKeyMap(NpgsqlDataSource dataSource) : IKeyMap
{
    public async ValueTask<string?> FindErpIdAsync(string system, string entity, string store, string externalId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT erp_id FROM integration.key_map WHERE system = @system AND entity = @entity AND store = @store AND external_id = @externalId",
            new { system, entity, store, externalId }, cancellationToken: cancellationToken));
    }

    public async ValueTask<string?> FindExternalIdAsync(string system, string entity, string store, string erpId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT external_id FROM integration.key_map WHERE system = @system AND entity = @entity AND store = @store AND erp_id = @erpId",
            new { system, entity, store, erpId }, cancellationToken: cancellationToken));
    }

    public async ValueTask LinkAsync(KeyLink link, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One external id per ERP id and store: a record linked again replaces its old link. One statement, so one
        // round trip and atomic; a link that is already there is left as it is (linked_at: when it was made). The
        // insert reads the delete's count so that the old link is gone before the unique index on erp_id is checked
        // (a data-modifying WITH no one reads runs after the main statement).
        await connection.ExecuteAsync(new CommandDefinition("""
            WITH replaced AS (
                DELETE FROM integration.key_map WHERE system = @System AND entity = @Entity AND store = @Store AND erp_id = @ErpId AND external_id <> @ExternalId
                RETURNING 1
            )
            INSERT INTO integration.key_map (system, entity, store, external_id, erp_id)
            SELECT @System, @Entity, @Store, @ExternalId, @ErpId FROM (SELECT count(*) FROM replaced) AS done
            ON CONFLICT (system, entity, store, external_id) DO UPDATE SET erp_id = excluded.erp_id, linked_at = now()
            WHERE key_map.erp_id IS DISTINCT FROM excluded.erp_id
            """, link, cancellationToken: cancellationToken));
    }

    public async ValueTask<DateTimeOffset?> LatestLinkAsync(
        string system, string store, IReadOnlyCollection<string> entities, IReadOnlyCollection<string>? erpIds = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var latest = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(linked_at) FROM integration.key_map WHERE system = @system AND entity = ANY(@entities) AND store = @store AND (@erpIds::text[] IS NULL OR erp_id = ANY(@erpIds))",
            new { system, store, entities = entities.ToArray(), erpIds = erpIds?.ToArray() }, cancellationToken: cancellationToken));
        return latest is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public async ValueTask AddMatchValueAsync(string entity, string erpId, string matchName, string value, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO integration.key_match (entity, match_name, value, erp_id) VALUES (@entity, @matchName, @value, @erpId) ON CONFLICT DO NOTHING",
            new { entity, matchName, value, erpId }, cancellationToken: cancellationToken));
    }

    public async ValueTask<IReadOnlyList<string>> FindByMatchValueAsync(string entity, string matchName, string value, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT erp_id FROM integration.key_match WHERE entity = @entity AND match_name = @matchName AND value = @value ORDER BY erp_id",
            new { entity, matchName, value }, cancellationToken: cancellationToken))];
    }
}
