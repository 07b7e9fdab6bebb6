using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace Integration.Host.Inbox;

/// <summary>
/// The records of a store (orders, say) the host has received but not carried through: a delivery still waiting or
/// that could not be dispatched, or a run started by one that has not ended or has an open incident. For each, the
/// document of its newest delivery. A store's stock push uses them to hold the units of orders the store has taken and
/// the ERP has not booked yet: without them, a push of the ERP's balance would put those units back on sale.
/// </summary>
internal sealed class UnfinishedDeliveries(NpgsqlDataSource dataSource)
{
    // Three small sets, each by its own index (waiting deliveries, runs not ended, open incidents), then each record's
    // newest delivery by the subject index: never a walk over the inbox or the runs.
    private const string Query = """
        WITH unfinished AS (
            SELECT m.subject FROM integration.inbox m
            WHERE m.status IN ('received', 'processing', 'failed', 'poisoned')
              AND m.source = @source AND m.store = @store AND m.subject LIKE @kind
            UNION
            SELECT m.subject FROM flows.instance i JOIN integration.inbox m ON m.id = substr(i.trigger, 7)::bigint
            WHERE i.status IN ('Running', 'Suspended', 'Faulted') AND i.trigger LIKE 'inbox:%'
              AND m.source = @source AND m.store = @store AND m.subject LIKE @kind
            UNION
            SELECT m.subject FROM flows.incident x JOIN flows.instance i ON i.id = x.instance_id
                JOIN integration.inbox m ON m.id = substr(i.trigger, 7)::bigint
            WHERE x.status = 'Open' AND i.trigger LIKE 'inbox:%'
              AND m.source = @source AND m.store = @store AND m.subject LIKE @kind
        )
        SELECT body FROM (
            SELECT DISTINCT ON (m.subject) m.id, m.body FROM unfinished u
            JOIN integration.inbox m ON m.subject = u.subject AND m.source = @source AND m.store = @store
            ORDER BY m.subject, m.subject_version DESC NULLS LAST, m.id DESC) newest
        ORDER BY id
        LIMIT @limit
        """;

    /// <summary>
    /// The newest delivered document of each record of <paramref name="kind"/> (order, product, customer) of the store
    /// not carried through, at most <paramref name="limit"/> (those whose newest delivery came longest ago first). A body that is not JSON (a poisoned delivery) is left out.
    /// </summary>
    public async Task<IReadOnlyList<JsonNode>> NewestAsync(string source, string store, string kind, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var bodies = await connection.QueryAsync<byte[]>(new CommandDefinition(Query, new { source, store, kind = kind + ":%", limit }, cancellationToken: cancellationToken));
        var documents = new List<JsonNode>();
        foreach (var body in bodies)
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject document)
                {
                    documents.Add(document);
                }
            }
            catch (JsonException)
            {
                // Raised already where it was received; nothing to hold for it here.
            }
        }

        return documents;
    }
}
