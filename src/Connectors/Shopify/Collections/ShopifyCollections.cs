using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Dapper;
using Integration.Connectors.Shopify.Client;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Connectors.Shopify.Collections;

/// <summary>
/// One smart collection per ERP item group (rule: product type equals the group's name), created once per store and
/// remembered in the key map (<c>shopify</c>/<c>collection</c>, ERP id = the group's id). A collection that already
/// exists with that title and rule (created before the key map knew it) is taken, not made twice; one the key map knows
/// but Shopify no longer has (deleted by hand) is made again and the key map moved to it. Shopify takes a second
/// collection of the same title, so runs making the first products of a new group at once (ERP events fed side by side,
/// or several hosts) take turns: in the host, and across hosts by a lock in PostgreSQL when there is one.
/// </summary>
public sealed class ShopifyCollections(ShopifyAdminClients clients, IKeyMap keyMap, ILogger<ShopifyCollections> logger, NpgsqlDataSource? dataSource = null)
{
    private readonly ConcurrentDictionary<(string Store, string Group), SemaphoreSlim> _turns = new();

    internal const string FindQuery =
        "query CollectionsByTitle($query: String!) { collections(first: 10, query: $query) { nodes { id title ruleSet { appliedDisjunctively rules { column relation condition } } } } }";

    internal const string ByIdQuery = "query CollectionById($id: ID!) { collection(id: $id) { id } }";

    internal const string CreateMutation =
        "mutation CollectionCreate($input: CollectionInput!) { collectionCreate(input: $input) { collection { id title } userErrors { field message } } }";

    /// <summary>The gid of the group's collection, created when the store has none.</summary>
    public async Task<string> EnsureForGroupAsync(string? store, string group, string productType, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        if (await KnownAsync(client, group, cancellationToken) is { } known)
        {
            return known;
        }

        var turn = _turns.GetOrAdd((client.Store, group), _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            await using var connection = dataSource is null ? null : await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = connection is null ? null : await connection.BeginTransactionAsync(cancellationToken);
            if (connection is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_xact_lock(hashtext('shopify.collection:' || @store || ':' || @group))",
                    new { store = client.Store, group }, transaction, cancellationToken: cancellationToken));
            }

            // Whoever had the turn before may have made it meanwhile.
            var id = await KnownAsync(client, group, cancellationToken) ?? await FindOrCreateAsync(client, group, productType, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return id;
        }
        finally
        {
            turn.Release();
        }
    }

    // The collection the key map knows for the group, when Shopify still has it.
    private async Task<string?> KnownAsync(ShopifyAdminClient client, string group, CancellationToken cancellationToken)
    {
        if (await keyMap.FindExternalIdAsync("shopify", "collection", client.Store, group, cancellationToken) is not { } known)
        {
            return null;
        }

        // One point to learn that someone deleted it in the Shopify admin: then the key map is stale and it is made again.
        var read = await client.ExecuteAsync("CollectionById", ByIdQuery, new JsonObject { ["id"] = known }, cancellationToken: cancellationToken);
        if (read["collection"] is JsonObject)
        {
            return known;
        }

        logger.LogWarning("Shopify {Store}: smart collection {CollectionId} of item group {Group} is gone (deleted in Shopify); making it again", client.Store, known, group);
        return null;
    }

    private async Task<string> FindOrCreateAsync(ShopifyAdminClient client, string group, string productType, CancellationToken cancellationToken)
    {
        var found = await client.ExecuteAsync("CollectionsByTitle", FindQuery,
            new JsonObject { ["query"] = "title:\"" + productType.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" }, cancellationToken: cancellationToken);
        var existing = (found["collections"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(c => (c["ruleSet"]?["rules"] as JsonArray ?? []).OfType<JsonObject>().Any(r =>
                r["column"]?.GetValue<string>() == "TYPE" && r["relation"]?.GetValue<string>() == "EQUALS"
                && string.Equals(r["condition"]?.GetValue<string>(), productType, StringComparison.OrdinalIgnoreCase)));
        string id;
        if (existing?["id"]?.GetValue<string>() is { } taken)
        {
            id = taken;
        }
        else
        {
            var payload = await client.MutateAsync("CollectionCreate", "collectionCreate", CreateMutation, new JsonObject
            {
                ["input"] = new JsonObject
                {
                    ["title"] = productType,
                    ["ruleSet"] = new JsonObject
                    {
                        ["appliedDisjunctively"] = false,
                        ["rules"] = new JsonArray(new JsonObject { ["column"] = "TYPE", ["relation"] = "EQUALS", ["condition"] = productType }),
                    },
                },
            }, estimatedCost: 10, cancellationToken: cancellationToken);
            id = payload["collection"]?["id"]?.GetValue<string>() ?? throw new ShopifyException(client.Store, "CollectionCreate", "the answer has no collection id.");
            logger.LogInformation("Shopify {Store}: smart collection {CollectionId} for item group {Group}", client.Store, id, group);
        }

        await keyMap.LinkAsync(new KeyLink("shopify", "collection", client.Store, id, group), cancellationToken);
        return id;
    }
}
