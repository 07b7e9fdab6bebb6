using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Integration.Host.Inbox;

/// <summary>
/// The records of a store (orders, say) the host has received but not carried through: a delivery still waiting or
/// that could not be dispatched, or a run started by one that has not ended or has an open incident. For each, the
/// document of its newest delivery. The stock pushes use them to hold the units of orders the stores have taken and
/// the ERP has not booked yet: without them, a push of the ERP's balance would put those units back on sale.
/// </summary>
internal sealed class UnfinishedDeliveries(NpgsqlDataSource dataSource, ILogger<UnfinishedDeliveries> logger)
{
    // Three small sets, each by its own index (waiting deliveries, runs not ended, open incidents), then each record's
    // newest delivery by the subject index: never a walk over the inbox or the runs. The cast is guarded: a plan may
    // compute the join key before the trigger filter, and other runs' triggers (schedule:..., outbox:...) are not ids.
    // Stores are compared as the intake matches them, ignoring case (it keeps the name as the store sent it); all the
    // stores of a storefront in one statement.
    private const string Query = """
        WITH unfinished AS (
            SELECT lower(m.store) AS store, m.subject FROM integration.inbox m
            WHERE m.status IN ('received', 'processing', 'failed', 'poisoned')
              AND m.source = @source AND lower(m.store) = ANY(@stores) AND m.subject LIKE @kind
            UNION
            SELECT lower(m.store), m.subject FROM flows.instance i
                JOIN integration.inbox m ON m.id = (CASE WHEN i.trigger LIKE 'inbox:%' THEN substr(i.trigger, 7)::bigint END)
            WHERE i.status IN ('Running', 'Suspended', 'Faulted') AND i.trigger LIKE 'inbox:%'
              AND m.source = @source AND lower(m.store) = ANY(@stores) AND m.subject LIKE @kind
            UNION
            SELECT lower(m.store), m.subject FROM flows.incident x JOIN flows.instance i ON i.id = x.instance_id
                JOIN integration.inbox m ON m.id = (CASE WHEN i.trigger LIKE 'inbox:%' THEN substr(i.trigger, 7)::bigint END)
            WHERE x.status = 'Open' AND i.trigger LIKE 'inbox:%'
              AND m.source = @source AND lower(m.store) = ANY(@stores) AND m.subject LIKE @kind
        )
        SELECT store, body FROM (
            SELECT DISTINCT ON (u.store, m.subject) u.store, m.id, m.body FROM unfinished u
            JOIN integration.inbox m ON m.subject = u.subject AND m.source = @source AND lower(m.store) = u.store AND m.status <> 'poisoned'
            ORDER BY u.store, m.subject, m.subject_version DESC NULLS LAST, m.id DESC) newest
        ORDER BY id DESC
        LIMIT @take
        """;

    /// <summary>
    /// The newest delivered document of each record of <paramref name="kind"/> (order, product, customer) of these stores
    /// (as their deliveries name them, in any case) not carried through, with its store in lower case; at most
    /// <paramref name="limit"/>: those delivered last first (the ones most likely not booked yet; records stopped long ago
    /// at an incident after booking, a tax portal down for a day, come last). A poisoned delivery (its body is not what
    /// the store sends) is passed over.
    /// </summary>
    public async Task<IReadOnlyList<(string Store, JsonObject Document)>> NewestAsync(
        string source, IReadOnlyCollection<string> stores, string kind, int limit, CancellationToken cancellationToken)
    {
        if (stores.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Store, byte[] Body)>(new CommandDefinition(Query,
            new { source, stores = stores.Select(s => s.ToLowerInvariant()).Distinct().ToArray(), kind = kind + ":%", take = limit + 1 },
            cancellationToken: cancellationToken))).ToList();
        if (rows.Count > limit)
        {
            logger.LogWarning("{Source} stores {Stores} have more than {Limit} {Kind}s not carried through; those delivered longest ago are left out", source, string.Join(", ", stores), limit, kind);
            rows.RemoveAt(limit);
        }

        var documents = new List<(string, JsonObject)>(rows.Count);
        foreach (var (store, body) in rows)
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject document)
                {
                    documents.Add((store, document));
                }
            }
            catch (JsonException)
            {
                // Raised where it was received; nothing to read from it here.
            }
        }

        return documents;
    }
}
