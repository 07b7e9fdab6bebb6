using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Integration.Mappings.KeyMaps;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.Shopify.Collections;

/// <summary>
/// One smart collection per ERP item group (rule: product type equals the group's name), created once per store and
/// remembered in the key map (<c>shopify</c>/<c>collection</c>, ERP id = the group's id). A collection that already
/// exists with that title and rule (created before the key map knew it) is taken, not made twice; one the key map knows
/// but Shopify no longer has (deleted by hand) is made again and the key map moved to it.
/// </summary>
public sealed class ShopifyCollections(ShopifyAdminClients clients, IKeyMap keyMap, ILogger<ShopifyCollections> logger)
{
    internal const string FindQuery =
        "query CollectionsByTitle($query: String!) { collections(first: 10, query: $query) { nodes { id title ruleSet { appliedDisjunctively rules { column relation condition } } } } }";

    internal const string ByIdQuery = "query CollectionById($id: ID!) { collection(id: $id) { id } }";

    internal const string CreateMutation =
        "mutation CollectionCreate($input: CollectionInput!) { collectionCreate(input: $input) { collection { id title } userErrors { field message } } }";

    /// <summary>The gid of the group's collection, created when the store has none.</summary>
    public async Task<string> EnsureForGroupAsync(string? store, string group, string productType, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        if (await keyMap.FindExternalIdAsync("shopify", "collection", client.Store, group, cancellationToken) is { } known)
        {
            // One point to learn that someone deleted it in the Shopify admin: then the key map is stale and it is made again.
            var read = await client.ExecuteAsync("CollectionById", ByIdQuery, new JsonObject { ["id"] = known }, cancellationToken: cancellationToken);
            if (read["collection"] is JsonObject)
            {
                return known;
            }

            logger.LogWarning("Shopify {Store}: smart collection {CollectionId} of item group {Group} is gone (deleted in Shopify); making it again", client.Store, known, group);
        }

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
