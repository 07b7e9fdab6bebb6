using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Catalogue;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.WooCommerce.Products;

/// <summary>
/// Sets prices by ERP SKU: <c>regular_price</c>, and <c>sale_price</c> with <c>date_on_sale_from_gmt</c> /
/// <c>date_on_sale_to_gmt</c> (WooCommerce schedules the sale itself and shows the regular price once it ends). No
/// sale: the sale price and its dates are sent as empty strings, which is how WooCommerce clears them (a null is
/// ignored). Simple products go through <c>products/batch</c>, variations through their product's
/// <c>variations/batch</c>, 100 objects a request at the store's pace; each refused item is reported. Compared (the
/// nightly full upload), what the store shows is read first and only the items it prices otherwise are written, each
/// reported as drift.
/// </summary>
public sealed class WooCommercePrices(WooCommerceClients clients, WooCommerceStores stores, WooCommerceSkuIndex index, ILogger<WooCommercePrices> logger)
{
    public Task<PricePush> SetPricesAsync(string? store, IReadOnlyList<WooCommercePrice> prices, bool compare = false, CancellationToken cancellationToken = default) =>
        SetPricesAsync(store, prices, compare, again: false, cancellationToken);

    private async Task<PricePush> SetPricesAsync(string? store, IReadOnlyList<WooCommercePrice> prices, bool compare, bool again, CancellationToken cancellationToken)
    {
        var options = stores.Get(store);
        var client = clients.For(options.Key);
        var zone = options.Zone;
        var skipped = new List<SkippedPrice>();
        var wanted = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var price in prices)
        {
            var sku = price.Sku?.Trim();
            if (string.IsNullOrEmpty(sku))
            {
                skipped.Add(new SkippedPrice(price.Sku, "no SKU"));
            }
            else if (price.RegularPrice is not { } regular)
            {
                skipped.Add(new SkippedPrice(sku, "no price"));
            }
            else
            {
                wanted[sku] = Fields(regular, price, zone); // the last line of a SKU wins
            }
        }

        var found = await index.ResolveAsync(options.Key, wanted.Keys, cancellationToken);
        var products = new List<(string Sku, JsonObject Update)>();
        var variations = new Dictionary<long, List<(string Sku, JsonObject Update)>>();
        foreach (var (sku, fields) in wanted)
        {
            if (!found.TryGetValue(sku, out var entry))
            {
                skipped.Add(new SkippedPrice(sku, "the store has no product or variation with this SKU"));
                continue;
            }

            fields["id"] = entry.VariationId ?? entry.ProductId;
            if (entry.VariationId is null)
            {
                products.Add((sku, fields));
            }
            else
            {
                (variations.TryGetValue(entry.ProductId, out var of) ? of : variations[entry.ProductId] = []).Add((sku, fields));
            }
        }

        var unchanged = 0;
        var drift = new List<PriceDrift>();
        var reads = !compare ? 0 : await StoreComparison.KeepDifferingAsync(client, products, variations, ShownPrice.Fields, (sku, update, shown) =>
        {
            var (erp, now) = (ShownPrice.Of(update), ShownPrice.Of(shown));
            if (erp == now)
            {
                unchanged++;
                return false;
            }

            drift.Add(new PriceDrift(sku, now, erp));
            return true;
        }, cancellationToken);

        var updated = 0;
        var requests = 0;
        var gone = new HashSet<string>(StringComparer.Ordinal);
        if (products.Count > 0)
        {
            var result = await client.BatchAsync("BatchProducts", (api, body, ct) => api.BatchProductsAsync(body, ct), update: [.. products.Select(p => p.Update)], cancellationToken: cancellationToken);
            (updated, requests) = Count(result, products, skipped, gone, updated, requests);
        }

        foreach (var (productId, updates) in variations)
        {
            var result = await client.BatchAsync("BatchVariations", (api, body, ct) => api.BatchVariationsAsync(productId, body, ct), update: [.. updates.Select(v => v.Update)], cancellationToken: cancellationToken);
            (updated, requests) = Count(result, updates, skipped, gone, updated, requests);
        }

        if (gone.Count > 0)
        {
            // The store no longer has an id the index listed (the product deleted and made again): the catalogue is read
            // again and those SKUs priced once more, rather than left until the nightly upload.
            index.Forget(options.Key);
            if (!again)
            {
                var retried = await SetPricesAsync(store, [.. prices.Where(p => p.Sku is { } sku && gone.Contains(sku.Trim()))], compare, again: true, cancellationToken);
                skipped.RemoveAll(k => k.Sku is { } sku && gone.Contains(sku));
                skipped.AddRange(retried.Skipped);
                (updated, requests, unchanged, reads) = (updated + retried.Updated, requests + retried.Requests, unchanged + retried.Unchanged, reads + retried.Reads);
                drift.RemoveAll(d => gone.Contains(d.Sku));
                drift.AddRange(retried.Drift);
            }
        }

        logger.LogInformation("WooCommerce {Store}: prices set for {Updated} SKUs in {Requests} batch requests, {Skipped} skipped", options.Key, updated, requests, skipped.Count);
        if (drift.Count > 0)
        {
            logger.LogWarning("WooCommerce {Store}: price push found {Drifted} items priced otherwise than the ERP ({Unchanged} equal), e.g. {Example}", options.Key, drift.Count, unchanged,
                string.Join(", ", drift.Take(5).Select(d => $"{d.Sku}: store {d.Store}, ERP {d.Erp}")));
            ConnectorTelemetry.PricesDrifted(WooCommerceClient.Connector, options.Key, drift.Count);
        }

        return new PricePush(updated, skipped, requests) { Unchanged = unchanged, Drift = drift, Reads = reads };
    }

    /// <summary>The price fields of one product or variation.</summary>
    internal static JsonObject Fields(decimal regular, WooCommercePrice price, TimeZoneInfo zone)
    {
        var fields = new JsonObject { ["regular_price"] = Money(regular) };
        if (price.SalePrice is { } sale && sale < regular)
        {
            fields["sale_price"] = Money(sale);
            fields["date_on_sale_from_gmt"] = price.SaleFrom is { } from ? SaleSchedule.FromGmt(from, zone) : "";
            fields["date_on_sale_to_gmt"] = price.SaleTo is { } to ? SaleSchedule.ToGmt(to, zone) : "";
        }
        else
        {
            fields["sale_price"] = "";
            fields["date_on_sale_from_gmt"] = "";
            fields["date_on_sale_to_gmt"] = "";
        }

        return fields;
    }

    // WooCommerce keeps prices as the decimal strings it is given; the ERP has rounded them to the currency, but a
    // price may lose its trailing zeros on its way through a flow (100.00 -> 100), so cents are written out.
    internal static string Money(decimal amount) => amount.ToString("0.00########", CultureInfo.InvariantCulture);

    private static (int Updated, int Requests) Count(WooCommerceBatchResult result, List<(string Sku, JsonObject Update)> sent, List<SkippedPrice> skipped, HashSet<string> gone, int updated, int requests)
    {
        foreach (var error in result.Errors)
        {
            var sku = error.Index < sent.Count ? sent[error.Index].Sku : error.Sku;
            var missing = error.Code.EndsWith("_invalid_id", StringComparison.Ordinal);
            skipped.Add(new SkippedPrice(sku, $"refused by the store: {error.Message} ({error.Code})", Refused: !missing));
            if (missing && sku is not null)
            {
                gone.Add(sku);
            }
        }

        return (updated + result.Updated.Count, requests + result.Requests);
    }
}
