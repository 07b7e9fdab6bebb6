using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Host.Outbox;

/// <summary>Reads <c>integration.outbox</c> (the ERP's events for the flows) for operators.</summary>
internal sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id AS Id, topic AS Topic, company AS Company, entity_key AS EntityKey, ordering_key AS OrderingKey,
        created_at AS CreatedAt, status AS Status, error AS Error, attempts AS Attempts, processed_at AS ProcessedAt
        """;

    public async Task<OutboxPage> ListAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var items = (await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"""
            SELECT {Columns}
            FROM integration.outbox
            WHERE (@Status::text IS NULL OR status = @Status)
              AND (@Topic::text IS NULL OR topic = @Topic)
              AND (@Company::text IS NULL OR company = @Company)
              AND (@EntityKey::text IS NULL OR entity_key = @EntityKey)
              AND (@Cursor::bigint IS NULL OR id < @Cursor)
            ORDER BY id DESC
            LIMIT @Take
            """,
            new { query.Status, query.Topic, query.Company, query.EntityKey, query.Cursor, Take = query.Limit + 1 },
            cancellationToken: cancellationToken))).Select(row => row.ToEntry()).ToList();

        var more = items.Count > query.Limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new OutboxPage(items, more ? items[^1].Id : null);
    }

    public async Task<OutboxEntryDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var read = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT {Columns}, payload::text AS PayloadJson FROM integration.outbox WHERE id = @id;
            SELECT id AS Id, definition_id AS DefinitionId, status AS Status, incident_count AS IncidentCount
            FROM flows.instance WHERE trigger = 'outbox:' || @id ORDER BY created_at;
            """,
            new { id },
            cancellationToken: cancellationToken));
        var row = await read.ReadSingleOrDefaultAsync<DetailRow>();
        var runs = (await read.ReadAsync<OutboxEventRun>()).ToList();
        if (row is null)
        {
            return null;
        }

        using var payload = JsonDocument.Parse(row.PayloadJson);
        return new OutboxEntryDetail(row.ToEntry(), payload.RootElement.Clone(), runs);
    }

    // Npgsql reads timestamptz as UTC DateTime; rows convert to the public records here.
    private record EntryRow(
        long Id, string Topic, string Company, string EntityKey, string? OrderingKey, DateTime CreatedAt, string Status,
        string? Error, int Attempts, DateTime? ProcessedAt)
    {
        public OutboxEntry ToEntry() => new(Id, Topic, Company, EntityKey, OrderingKey, new DateTimeOffset(CreatedAt, TimeSpan.Zero),
            Status, Error, Attempts, ProcessedAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null);
    }

    private sealed record DetailRow(
        long Id, string Topic, string Company, string EntityKey, string? OrderingKey, DateTime CreatedAt, string Status,
        string? Error, int Attempts, DateTime? ProcessedAt, string PayloadJson)
        : EntryRow(Id, Topic, Company, EntityKey, OrderingKey, CreatedAt, Status, Error, Attempts, ProcessedAt);
}
