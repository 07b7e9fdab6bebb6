using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Integration.Host.Inbox;

/// <summary>
/// Feeds documents a reconciliation listed into <c>integration.inbox</c>, leaving out every version a delivery
/// already brought: one whose subject the inbox holds at the same or a later version (a webhook, or an earlier feed),
/// unless that delivery was ignored or poisoned. At the order rates stores reach, nearly every listed order came by
/// webhook; feeding it again would run its flow, and read it from the store, a second time for nothing.
/// </summary>
internal sealed class InboxFeed(NpgsqlDataSource dataSource, Integration.Workflows.Triggers.InboxArrivals? arrivals = null)
{
    // Bodies are a few kB each: a few hundred per statement keeps one statement's memory bounded.
    private const int Chunk = 500;

    private const string InsertUnseen = """
        INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body, status, trace_parent, subject, subject_version)
        SELECT $1, $2, $3, d.delivery_key, $4::jsonb, d.body, 'received', $5, d.subject, d.subject_version
        FROM unnest($6::text[], $7::bytea[], $8::text[], $9::timestamptz[]) AS d(delivery_key, body, subject, subject_version)
        WHERE NOT EXISTS (
            SELECT 1 FROM integration.inbox i
            WHERE i.source = $1 AND i.store = $2 AND i.subject = d.subject AND i.subject_version >= d.subject_version
              AND i.status NOT IN ('ignored', 'poisoned'))
        ON CONFLICT ON CONSTRAINT inbox_delivery_unique DO NOTHING
        """;

    /// <summary>Stores the unseen versions; returns how many were stored.</summary>
    public async Task<int> EnqueueUnseenAsync(
        string source, string store, string topic, IReadOnlyList<FedDocument> documents, string headersJson, CancellationToken cancellationToken)
    {
        var traceParent = Activity.Current?.Id;
        var stored = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        for (var start = 0; start < documents.Count; start += Chunk)
        {
            var chunk = documents.Skip(start).Take(Chunk).ToList();
            await using var insert = new NpgsqlCommand(InsertUnseen, connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = source, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = store, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = topic, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = headersJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)traceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(d => d.DeliveryKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(d => d.Body).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(d => d.Subject.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = chunk.Select(d => d.Subject.Version.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            stored += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        arrivals?.Arrived(stored);
        return stored;
    }
}
