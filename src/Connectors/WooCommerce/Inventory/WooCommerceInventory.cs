using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Catalogue;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Stores;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.WooCommerce.Inventory;

/// <summary>
/// Sets a store's stock to the ERP's available-to-promise: <c>manage_stock</c> on and <c>stock_quantity</c> set (the ERP
/// is the truth; WooCommerce derives <c>stock_status</c> from it), through the batch endpoints, 100 objects a request:
/// simple products in <c>products/batch</c>, variations in their product's <c>variations/batch</c>. Every refused
/// item is reported, never lost in a 200.
/// </summary>
public sealed class WooCommerceInventory(WooCommerceClients clients, WooCommerceStores stores, WooCommerceSkuIndex index, ILogger<WooCommerceInventory> logger)
{
    public async Task<StockPush> SetStockAsync(string? store, IEnumerable<StockLine> lines, CancellationToken cancellationToken = default)
    {
        var options = stores.Get(store);
        var client = clients.For(options.Key);
        var skipped = new List<SkippedStock>();
        var wanted = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var sku = line.Sku?.Trim();
            if (string.IsNullOrEmpty(sku))
            {
                skipped.Add(new SkippedStock(line.Sku, line.Warehouse, "no SKU"));
            }
            else if (line.Warehouse is { Length: > 0 } warehouse && !warehouse.Trim().Equals(options.Warehouse.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                skipped.Add(new SkippedStock(sku, warehouse, $"warehouse {warehouse} is not the store's ({options.Warehouse})"));
            }
            else if (line.AvailableToPromise is not { } qty)
            {
                skipped.Add(new SkippedStock(sku, line.Warehouse, "no quantity"));
            }
            else
            {
                // Fractions are never promised and nothing below zero is shown.
                wanted[sku] = Math.Max(0, Math.Floor(qty));
            }
        }

        var found = await index.ResolveAsync(options.Key, wanted.Keys, cancellationToken);
        var products = new List<(string Sku, JsonObject Update)>();
        var variations = new Dictionary<long, List<(string Sku, JsonObject Update)>>();
        foreach (var (sku, qty) in wanted)
        {
            if (!found.TryGetValue(sku, out var entry))
            {
                skipped.Add(new SkippedStock(sku, options.Warehouse, "the store has no product or variation with this SKU"));
                continue;
            }

            var update = new JsonObject { ["id"] = entry.VariationId ?? entry.ProductId, ["manage_stock"] = true, ["stock_quantity"] = qty };
            if (entry.VariationId is null)
            {
                products.Add((sku, update));
            }
            else
            {
                (variations.TryGetValue(entry.ProductId, out var of) ? of : variations[entry.ProductId] = []).Add((sku, update));
            }
        }

        var set = 0;
        var requests = 0;
        var stale = false;
        if (products.Count > 0)
        {
            var result = await client.BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), update: [.. products.Select(p => p.Update)], cancellationToken: cancellationToken);
            (set, requests, stale) = Count(result, products, skipped, set, requests, stale);
        }

        foreach (var (productId, updates) in variations)
        {
            var result = await client.BatchAsync("BatchVariations", (api, body, ct) => api.BatchVariationsAsync(productId, body, ct), update: [.. updates.Select(v => v.Update)], cancellationToken: cancellationToken);
            (set, requests, stale) = Count(result, updates, skipped, set, requests, stale);
        }

        if (stale)
        {
            // The store no longer has something the index listed: read the catalogue again next time.
            index.Forget(options.Key);
        }

        logger.LogInformation("WooCommerce {Store}: stock set for {Set} SKUs in {Requests} batch requests, {Skipped} skipped", options.Key, set, requests, skipped.Count);
        return new StockPush(set, skipped, requests);
    }

    private static (int Set, int Requests, bool Stale) Count(WooCommerceBatchResult result, List<(string Sku, JsonObject Update)> sent, List<SkippedStock> skipped, int set, int requests, bool stale)
    {
        foreach (var error in result.Errors)
        {
            var sku = error.Index < sent.Count ? sent[error.Index].Sku : error.Sku;
            skipped.Add(new SkippedStock(sku, null, $"refused by the store: {error.Message} ({error.Code})"));
            stale |= error.Code.EndsWith("_invalid_id", StringComparison.Ordinal);
        }

        return (set + result.Updated.Count, requests + result.Requests, stale);
    }
}
