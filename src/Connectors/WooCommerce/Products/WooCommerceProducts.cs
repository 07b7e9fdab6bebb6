using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Catalogue;
using Integration.Connectors.WooCommerce.Client;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>Changes a store's products and variations found by ERP SKU.</summary>
public sealed class WooCommerceProducts(WooCommerceClients clients, WooCommerceSkuIndex index)
{
    /// <summary>
    /// Sets the status of the product or variation of a SKU (<see cref="ProductStatus"/>); null when the store has no
    /// such SKU, else what was changed. A refused change is a <see cref="WooCommerceException"/> with the store's reason.
    /// </summary>
    public async Task<CatalogueEntry?> SetStatusAsync(string? store, string sku, string status, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        var found = await index.ResolveAsync(client.Store, [sku], cancellationToken);
        if (!found.TryGetValue(sku.Trim(), out var entry))
        {
            return null;
        }

        var result = entry.VariationId is { } variation
            ? await client.BatchAsync("BatchVariations", (api, body, ct) => api.BatchVariationsAsync(entry.ProductId, body, ct),
                update: [new JsonObject { ["id"] = variation, ["status"] = ProductStatus.ForVariation(status) }], cancellationToken: cancellationToken)
            : await client.BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct),
                update: [new JsonObject { ["id"] = entry.ProductId, ["status"] = status }], cancellationToken: cancellationToken);
        if (result.Errors is [var error, ..])
        {
            if (error.Code.EndsWith("_invalid_id", StringComparison.Ordinal))
            {
                index.Forget(client.Store);
            }

            throw new WooCommerceException(client.Store, "SetProductStatus", $"the store refused {sku}: {error.Message}", null, error.Code);
        }

        return entry;
    }
}
