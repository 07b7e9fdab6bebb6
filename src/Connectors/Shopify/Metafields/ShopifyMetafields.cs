using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Metafields;

/// <summary>Sets metafields on any owner (order, customer, product) with <c>metafieldsSet</c>, 25 a request (Shopify's limit).</summary>
public sealed class ShopifyMetafields(ShopifyAdminClients clients)
{
    internal const string Mutation =
        "mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { metafields { namespace key value type } userErrors { field code message } } }";

    public async Task SetAsync(string? store, string ownerGid, IReadOnlyList<MetafieldValue> metafields, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        foreach (var chunk in metafields.Chunk(25))
        {
            await client.MutateAsync("MetafieldsSet", "metafieldsSet", Mutation, new JsonObject
            {
                ["metafields"] = new JsonArray([.. chunk.Select(m => (JsonNode?)new JsonObject
                {
                    ["ownerId"] = ownerGid, ["namespace"] = m.Namespace, ["key"] = m.Key, ["value"] = m.Value, ["type"] = m.Type,
                })]),
            }, estimatedCost: 10, cancellationToken: cancellationToken);
        }
    }
}
