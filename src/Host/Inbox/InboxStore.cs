using System.Text.Json;
using Dapper;
using Integration.Workflows.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Integration.Host.Inbox;

/// <summary>The <c>integration.inbox</c> table: verified deliveries, stored once per delivery key.</summary>
internal sealed class InboxStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id AS Id, source AS Source, store AS Store, topic AS Topic, delivery_key AS DeliveryKey,
        webhook_id AS WebhookId, event_id AS EventId, triggered_at AS TriggeredAt, api_version AS ApiVersion,
        received_at AS ReceivedAt, status AS Status, error AS Error, attempts AS Attempts,
        octet_length(body) AS BodyBytes
        """;

    /// <summary>
    /// Stores a delivery and commits. Returns its id and whether it was already stored (a concurrent twin waits
    /// for the first insert to commit, then finds it).
    /// </summary>
    public async Task<(long Id, bool Duplicate)> AddAsync(
        string source,
        WebhookDelivery delivery,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlyMemory<byte> body,
        string? poisonReason,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO integration.inbox
                (source, store, topic, delivery_key, webhook_id, event_id, triggered_at, api_version, headers, body, status, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT ON CONSTRAINT inbox_delivery_unique DO NOTHING
            RETURNING id
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = source });
        p.Add(new NpgsqlParameter<string> { TypedValue = delivery.Store });
        p.Add(new NpgsqlParameter<string> { TypedValue = delivery.Topic });
        p.Add(new NpgsqlParameter<string> { TypedValue = delivery.DeliveryKey });
        p.Add(new NpgsqlParameter { Value = (object?)delivery.WebhookId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)delivery.EventId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)delivery.TriggeredAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)delivery.ApiVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(headers), NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = body, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter<string> { TypedValue = poisonReason is null ? "received" : "poisoned" });
        p.Add(new NpgsqlParameter { Value = (object?)poisonReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

        if (await command.ExecuteScalarAsync(cancellationToken) is long id)
        {
            return (id, false);
        }

        await using var existing = dataSource.CreateCommand(
            "SELECT id FROM integration.inbox WHERE source = $1 AND store = $2 AND topic = $3 AND delivery_key = $4");
        existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Store });
        existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.Topic });
        existing.Parameters.Add(new NpgsqlParameter<string> { TypedValue = delivery.DeliveryKey });
        return ((long)(await existing.ExecuteScalarAsync(cancellationToken))!, true);
    }

    public async Task<InboxPage> ListAsync(InboxQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var items = (await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"""
            SELECT {Columns}
            FROM integration.inbox
            WHERE (@Source::text IS NULL OR source = @Source)
              AND (@Store::text IS NULL OR store = @Store)
              AND (@Status::text IS NULL OR status = @Status)
              AND (@Topic::text IS NULL OR topic = @Topic)
              AND (@Cursor::bigint IS NULL OR id < @Cursor)
            ORDER BY id DESC
            LIMIT @Take
            """,
            new { query.Source, query.Store, query.Status, query.Topic, query.Cursor, Take = query.Limit + 1 },
            cancellationToken: cancellationToken))).Select(row => row.ToEntry()).ToList();

        var more = items.Count > query.Limit;
        if (more)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new InboxPage(items, more ? items[^1].Id : null);
    }

    public async Task<InboxEntryDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DetailRow>(new CommandDefinition(
            $"SELECT {Columns}, headers::text AS HeadersJson, body AS Body FROM integration.inbox WHERE id = @id",
            new { id },
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var entry = row.ToEntry();
        using var headers = JsonDocument.Parse(row.HeadersJson);
        JsonElement? payload = null;
        string? raw = null;
        try
        {
            using var document = JsonDocument.Parse(row.Body);
            payload = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            raw = System.Text.Encoding.UTF8.GetString(row.Body);
        }

        return new InboxEntryDetail(entry, headers.RootElement.Clone(), payload, raw);
    }

    // Npgsql reads timestamptz as UTC DateTime; rows convert to the public records here.
    private record EntryRow(
        long Id, string Source, string Store, string Topic, string DeliveryKey, string? WebhookId, string? EventId,
        DateTime? TriggeredAt, string? ApiVersion, DateTime ReceivedAt, string Status, string? Error, int Attempts,
        int BodyBytes)
    {
        public InboxEntry ToEntry() => new(Id, Source, Store, Topic, DeliveryKey, WebhookId, EventId,
            TriggeredAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, ApiVersion,
            new DateTimeOffset(ReceivedAt, TimeSpan.Zero), Status, Error, Attempts, BodyBytes);
    }

    private sealed record DetailRow(
        long Id, string Source, string Store, string Topic, string DeliveryKey, string? WebhookId, string? EventId,
        DateTime? TriggeredAt, string? ApiVersion, DateTime ReceivedAt, string Status, string? Error, int Attempts,
        int BodyBytes, string HeadersJson, byte[] Body)
        : EntryRow(Id, Source, Store, Topic, DeliveryKey, WebhookId, EventId, TriggeredAt, ApiVersion, ReceivedAt,
            Status, Error, Attempts, BodyBytes);
}
