using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Catalogue;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.WooCommerce.Inventory;

/// <summary>
/// Sets a store's stock to the ERP's available-to-promise: <c>manage_stock</c> on and <c>stock_quantity</c> set (the ERP
/// is the truth; WooCommerce derives <c>stock_status</c> from it), through the batch endpoints, 100 objects a request:
/// simple products in <c>products/batch</c>, variations in their product's <c>variations/batch</c>. Every refused
/// item is reported, never lost in a 200. Compared (the nightly full upload), what the store shows is read first, by
/// id, and only what differs is set, each difference reported as drift.
/// </summary>
public sealed class WooCommerceInventory(WooCommerceClients clients, WooCommerceStores stores, WooCommerceSkuIndex index, ILogger<WooCommerceInventory> logger)
{
    private const string ShownFields = "id,manage_stock,stock_quantity";

    public Task<StockPush> SetStockAsync(string? store, IEnumerable<StockLine> lines, bool compare = false, CancellationToken cancellationToken = default) =>
        SetStockAsync(store, [.. lines], compare, again: false, cancellationToken);

    private async Task<StockPush> SetStockAsync(string? store, IReadOnlyList<StockLine> lines, bool compare, bool again, CancellationToken cancellationToken)
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
            else if (line.Warehouse is { Length: > 0 } warehouse && !IsStoreWarehouse(warehouse, options))
            {
                skipped.Add(new SkippedStock(sku, warehouse, $"warehouse {warehouse} is not the store's ({options.Warehouse})"));
            }
            else if (line.AvailableToPromise is not { } qty)
            {
                skipped.Add(new SkippedStock(sku, line.Warehouse, "no quantity"));
            }
            else
            {
                wanted[sku] = Promised(qty);
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

        var shown = new ShownStock(options.Warehouse);
        if (compare)
        {
            shown.Reads += await StoreComparison.KeepDifferingAsync(client, products, variations, ShownFields, shown.Differs, cancellationToken);
        }

        var set = 0;
        var requests = 0;
        var gone = new HashSet<string>(StringComparer.Ordinal);
        if (products.Count > 0)
        {
            var result = await client.BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), update: [.. products.Select(p => p.Update)], cancellationToken: cancellationToken);
            (set, requests) = Count(result, products, skipped, gone, set, requests);
        }

        foreach (var (productId, updates) in variations)
        {
            var result = await client.BatchAsync("BatchVariations", (api, body, ct) => api.BatchVariationsAsync(productId, body, ct), update: [.. updates.Select(v => v.Update)], cancellationToken: cancellationToken);
            (set, requests) = Count(result, updates, skipped, gone, set, requests);
        }

        if (gone.Count > 0)
        {
            // The store no longer has an id the index listed (the product deleted and made again): the catalogue is read
            // again and those SKUs sent once more, rather than skipped until the nightly upload.
            index.Forget(options.Key);
            if (!again)
            {
                var retried = await SetStockAsync(store, [.. lines.Where(l => l.Sku is { } sku && gone.Contains(sku.Trim()))], compare, again: true, cancellationToken);
                skipped.RemoveAll(k => k.Sku is { } sku && gone.Contains(sku));
                skipped.AddRange(retried.Skipped);
                (set, requests) = (set + retried.Set, requests + retried.Requests);
                shown.Unchanged += retried.Unchanged;
                shown.Reads += retried.Reads;
                shown.Drift.RemoveAll(d => gone.Contains(d.Sku));
                shown.Drift.AddRange(retried.Drift);
            }
        }

        logger.LogInformation("WooCommerce {Store}: stock set for {Set} SKUs in {Requests} batch requests, {Skipped} skipped", options.Key, set, requests, skipped.Count);
        if (shown.Drift.Count > 0)
        {
            var more = shown.Drift.Count(d => d.StoreQuantity > d.ErpQuantity);
            logger.LogWarning(
                "WooCommerce {Store}: stock push found {Drifted} quantities different from the ERP's ({More} showing more than the ERP promises, {Unchanged} equal), e.g. {Example}",
                options.Key, shown.Drift.Count, more, shown.Unchanged,
                string.Join(", ", shown.Drift.Take(5).Select(d => $"{d.Sku}: store {d.StoreQuantity?.ToString(CultureInfo.InvariantCulture) ?? "not managed"}, ERP {d.ErpQuantity.ToString(CultureInfo.InvariantCulture)}")));
            ConnectorTelemetry.StockDrifted(WooCommerceClient.Connector, options.Key, shown.Drift.Count - more, more);
        }

        return new StockPush(set, skipped, requests) { Unchanged = shown.Unchanged, Drift = shown.Drift, Reads = shown.Reads };
    }

    /// <summary>What the store may show of an available quantity: fractions are never promised, nothing below zero is shown.</summary>
    internal static decimal Promised(decimal available) => Math.Max(0, Math.Floor(available));

    /// <summary>Whether a balance's warehouse is the one the store sells from (none named: the store's).</summary>
    internal static bool IsStoreWarehouse(string? warehouse, WooCommerceStoreOptions options) =>
        string.IsNullOrWhiteSpace(warehouse) || warehouse.Trim().Equals(options.Warehouse.Trim(), StringComparison.OrdinalIgnoreCase);

    // The quantity the store manages for an item; null when it manages none (a variation's manage_stock may be "parent").
    private static decimal? Managed(JsonObject item) =>
        item["manage_stock"] is JsonValue manage && manage.TryGetValue<bool>(out var managed) && managed && item["stock_quantity"] is JsonValue quantity
            && quantity.TryGetValue<decimal>(out var value) ? value : null;

    // What a compared push found: the quantities equal, those shown otherwise, the reads.
    private sealed class ShownStock(string warehouse)
    {
        public List<StockDrift> Drift { get; } = [];

        public int Unchanged { get; set; }

        public int Reads { get; set; }

        public bool Differs(string sku, JsonObject update, JsonObject shown)
        {
            var wanted = (decimal)update["stock_quantity"]!;
            var quantity = Managed(shown);
            if (quantity == wanted)
            {
                Unchanged++;
                return false;
            }

            Drift.Add(new StockDrift(sku, warehouse, quantity, wanted));
            return true;
        }
    }

    private static (int Set, int Requests) Count(WooCommerceBatchResult result, List<(string Sku, JsonObject Update)> sent, List<SkippedStock> skipped, HashSet<string> gone, int set, int requests)
    {
        foreach (var error in result.Errors)
        {
            var sku = error.Index < sent.Count ? sent[error.Index].Sku : error.Sku;
            skipped.Add(new SkippedStock(sku, null, $"refused by the store: {error.Message} ({error.Code})"));
            if (sku is not null && error.Code.EndsWith("_invalid_id", StringComparison.Ordinal))
            {
                gone.Add(sku);
            }
        }

        return (set + result.Updated.Count, requests + result.Requests);
    }
}
