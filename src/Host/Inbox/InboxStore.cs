using System.Text.Json;
using Dapper;
using Npgsql;

namespace Integration.Host.Inbox;

/// <summary>Reads <c>integration.inbox</c> for operators; <see cref="InboxWriter"/> writes it.</summary>
internal sealed class InboxStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id AS Id, source AS Source, store AS Store, topic AS Topic, delivery_key AS DeliveryKey,
        webhook_id AS WebhookId, event_id AS EventId, triggered_at AS TriggeredAt, api_version AS ApiVersion,
        received_at AS ReceivedAt, status AS Status, error AS Error, attempts AS Attempts,
        octet_length(body) AS BodyBytes, subject AS Subject, subject_version AS SubjectVersion
        """;

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
              AND (@Subject::text IS NULL OR subject = @Subject)
              AND (@Cursor::bigint IS NULL OR id < @Cursor)
            ORDER BY id DESC
            LIMIT @Take
            """,
            new { query.Source, query.Store, query.Status, query.Topic, query.Subject, query.Cursor, Take = query.Limit + 1 },
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
        int BodyBytes, string? Subject, DateTime? SubjectVersion)
    {
        public InboxEntry ToEntry() => new(Id, Source, Store, Topic, DeliveryKey, WebhookId, EventId,
            Utc(TriggeredAt), ApiVersion, new DateTimeOffset(ReceivedAt, TimeSpan.Zero), Status, Error, Attempts, BodyBytes,
            Subject, Utc(SubjectVersion));

        private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? new DateTimeOffset(value, TimeSpan.Zero) : null;
    }

    private sealed record DetailRow(
        long Id, string Source, string Store, string Topic, string DeliveryKey, string? WebhookId, string? EventId,
        DateTime? TriggeredAt, string? ApiVersion, DateTime ReceivedAt, string Status, string? Error, int Attempts,
        int BodyBytes, string? Subject, DateTime? SubjectVersion, string HeadersJson, byte[] Body)
        : EntryRow(Id, Source, Store, Topic, DeliveryKey, WebhookId, EventId, TriggeredAt, ApiVersion, ReceivedAt,
            Status, Error, Attempts, BodyBytes, Subject, SubjectVersion);
}
