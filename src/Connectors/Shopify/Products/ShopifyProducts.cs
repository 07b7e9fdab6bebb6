using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Catalogue;
using Integration.Connectors.Shopify.Client;
using Integration.Workflows.Telemetry;
using Microsoft.Extensions.Logging;

namespace Integration.Connectors.Shopify.Products;

/// <summary>Product status and variant prices, addressed by ERP SKU through the <see cref="ShopifySkuIndex"/>.</summary>
public sealed class ShopifyProducts(ShopifyAdminClients clients, ShopifySkuIndex index, ILogger<ShopifyProducts> logger)
{
    // productChangeStatus is deprecated (2024-08) for productUpdate; ProductUpdateInput since 2024-10.
    internal const string StatusMutation =
        "mutation ProductUpdate($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id status } userErrors { field message } } }";

    internal const string PricesQuery =
        "query VariantPrices($ids: [ID!]!) { nodes(ids: $ids) { ... on ProductVariant { id price compareAtPrice } } }";

    internal const string PricesMutation =
        "mutation ProductVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $productId, variants: $variants) { productVariants { id price compareAtPrice } userErrors { field code message } } }";

    /// <summary>
    /// Sets the status of the product(s) holding <paramref name="sku"/>; the product gids changed, empty when the store
    /// has no such SKU.
    /// </summary>
    public Task<IReadOnlyList<string>> SetStatusAsync(string? store, string sku, string status, CancellationToken cancellationToken = default) =>
        SetStatusAsync(store, [sku], status, cancellationToken);

    /// <summary>Sets the status of every product holding one of <paramref name="skus"/> (a template's variants), each once.</summary>
    public async Task<IReadOnlyList<string>> SetStatusAsync(string? store, IReadOnlyList<string> skus, string status, CancellationToken cancellationToken = default)
    {
        var value = ProductStatusName.Parse(status);
        var client = clients.For(store);
        var changed = new List<string>();
        var found = await index.ResolveAsync(store, skus, cancellationToken);
        foreach (var productId in skus.SelectMany(s => found.GetValueOrDefault(s) ?? []).Select(v => v.ProductId).Distinct())
        {
            var payload = await MutateAsync(client, store, "ProductUpdate", "productUpdate", StatusMutation,
                new JsonObject { ["product"] = new JsonObject { ["id"] = ShopifyGid.Format("Product", productId), ["status"] = value } }, cancellationToken);
            changed.Add(payload["product"]?["id"]?.GetValue<string>() ?? ShopifyGid.Format("Product", productId));
        }

        return changed;
    }

    /// <summary>
    /// Sets variant prices, one <c>productVariantsBulkUpdate</c> per product (it takes the variants of one product).
    /// A <see cref="VariantPrice.CompareAtPrice"/> given as null clears the was-price; not given, it is left as it is.
    /// Compared, the variants' prices are read first (250 a query) and only those that differ are sent, each reported as drift.
    /// A product the store refuses is reported (<see cref="PricePush.Refused"/>) and the others are still priced.
    /// </summary>
    public Task<PricePush> SetPricesAsync(string? store, IReadOnlyList<VariantPrice> prices, bool compare = false, CancellationToken cancellationToken = default) =>
        SetPricesAsync(store, prices, compare, again: false, cancellationToken);

    private async Task<PricePush> SetPricesAsync(string? store, IReadOnlyList<VariantPrice> prices, bool compare, bool again, CancellationToken cancellationToken)
    {
        var client = clients.For(store);
        var skipped = new List<(string? Sku, string Reason)>();
        var variants = await index.ResolveAsync(store, prices.Where(p => !string.IsNullOrWhiteSpace(p.Sku)).Select(p => p.Sku!), cancellationToken);
        var byProduct = new Dictionary<long, Dictionary<long, JsonObject>>();
        var skus = new Dictionary<long, string>();
        foreach (var price in prices)
        {
            if (string.IsNullOrWhiteSpace(price.Sku))
            {
                skipped.Add((price.Sku, "no sku"));
            }
            else if (price.Price is null && !price.HasCompareAtPrice)
            {
                skipped.Add((price.Sku, "no price"));
            }
            else if (!variants.TryGetValue(price.Sku.Trim(), out var found))
            {
                skipped.Add((price.Sku, "sku not in store"));
            }
            else
            {
                foreach (var variant in found)
                {
                    var input = new JsonObject { ["id"] = ShopifyGid.Format("ProductVariant", variant.VariantId) };
                    if (price.Price is { } amount)
                    {
                        input["price"] = Money(amount);
                    }

                    if (price.HasCompareAtPrice)
                    {
                        input["compareAtPrice"] = price.CompareAtPrice is { } was ? Money(was) : null;
                    }

                    if (!byProduct.TryGetValue(variant.ProductId, out var inputs))
                    {
                        byProduct[variant.ProductId] = inputs = [];
                    }

                    inputs[variant.VariantId] = input; // last line wins for one variant
                    skus[variant.VariantId] = price.Sku.Trim();
                }
            }
        }

        var (unchanged, drift) = compare ? await KeepDifferingAsync(client, byProduct, skus, cancellationToken) : (0, []);
        if (drift.Count > 0)
        {
            logger.LogWarning("Shopify {Store}: price push found {Drifted} variants priced otherwise than the ERP ({Unchanged} equal), e.g. {Example}", client.Store, drift.Count, unchanged,
                string.Join(", ", drift.Take(5).Select(d => $"{d.Sku}: store {Shown(d.StorePrice)}/{Shown(d.StoreCompareAtPrice)}, ERP {Shown(d.ErpPrice)}/{Shown(d.ErpCompareAtPrice)}")));
            ConnectorTelemetry.PricesDrifted(ShopifyAdminClient.Connector, client.Store, drift.Count);
        }

        var updated = 0;
        var refused = new List<(string? Sku, string Reason)>();
        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (productId, inputs) in byProduct)
        {
            // Shopify's input arrays hold at most 250 entries.
            foreach (var chunk in inputs.ToArray().Chunk(250))
            {
                try
                {
                    await client.MutateAsync("ProductVariantsBulkUpdate", "productVariantsBulkUpdate", PricesMutation, new JsonObject
                    {
                        ["productId"] = ShopifyGid.Format("Product", productId),
                        ["variants"] = new JsonArray([.. chunk.Select(c => (JsonNode?)c.Value)]),
                    }, estimatedCost: 10, cancellationToken: cancellationToken);
                    updated += chunk.Length;
                }
                catch (ShopifyUserErrorException ex)
                {
                    // The call is all or nothing for its product; the other products are still priced. A product deleted
                    // (or made again) by hand is looked up once more after a fresh read of the catalogue.
                    var reason = "refused by the store: " + string.Join("; ", ex.Errors.Select(e => $"{Named(e, chunk, skus)} {e.Code}: {e.Message}"));
                    foreach (var (variantId, _) in chunk)
                    {
                        if (ex.Errors.Any(e => e.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase)))
                        {
                            gone.Add(skus[variantId]);
                        }
                        else
                        {
                            refused.Add((skus[variantId], reason));
                        }
                    }
                }
            }
        }

        var push = new PricePush(updated, [.. skipped, .. refused]) { Unchanged = unchanged, Drift = drift, Refused = refused };
        if (gone.Count > 0 && !again)
        {
            index.Forget(store);
            var retried = await SetPricesAsync(store, [.. prices.Where(p => p.Sku is not null && gone.Contains(p.Sku.Trim()))], compare, again: true, cancellationToken);
            push = push with
            {
                Updated = updated + retried.Updated, Skipped = [.. push.Skipped, .. retried.Skipped], Refused = [.. refused, .. retried.Refused],
                Unchanged = unchanged + retried.Unchanged, Drift = [.. drift, .. retried.Drift],
            };
        }
        else if (gone.Count > 0)
        {
            push = push with { Skipped = [.. push.Skipped, .. gone.Select(s => ((string?)s, "the store says its product does not exist"))] };
        }

        return push;
    }

    // The variant a user error names (["variants", "3", "price"]: the chunk's fourth) by its SKU, else the field.
    private static string Named(ShopifyUserError error, KeyValuePair<long, JsonObject>[] chunk, Dictionary<long, string> skus) =>
        error.Field is ["variants", var i, ..] && int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at < chunk.Length
            ? string.Join('.', [skus[chunk[at].Key], .. error.Field.Skip(2)])
            : string.Join('.', error.Field);

    // Reads the variants' prices and drops the inputs the store already shows; an input whose variant the read does not
    // return is kept (its write reports it gone).
    private static async Task<(int Unchanged, List<PriceDrift> Drift)> KeepDifferingAsync(
        ShopifyAdminClient client, Dictionary<long, Dictionary<long, JsonObject>> byProduct, Dictionary<long, string> skus, CancellationToken cancellationToken)
    {
        var unchanged = 0;
        var drift = new List<PriceDrift>();
        var all = byProduct.SelectMany(p => p.Value.Select(v => (Product: p.Key, Variant: v.Key, Input: v.Value))).ToList();
        foreach (var chunk in all.Chunk(250))
        {
            var variables = new JsonObject { ["ids"] = new JsonArray([.. chunk.Select(c => (JsonNode?)ShopifyGid.Format("ProductVariant", c.Variant))]) };
            var data = await client.ExecuteAsync("VariantPrices", PricesQuery, variables, estimatedCost: 1 + chunk.Length,
                costClass: chunk.Length.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            var shown = new Dictionary<long, (decimal? Price, decimal? Was)>();
            foreach (var node in (data["nodes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (node["id"] is JsonValue id && ShopifyGid.TryParse(id.GetValue<string>(), "ProductVariant", out var variant))
                {
                    shown[variant] = (Amount(node["price"]), Amount(node["compareAtPrice"]));
                }
            }

            foreach (var (product, variant, input) in chunk)
            {
                if (!shown.TryGetValue(variant, out var now))
                {
                    continue;
                }

                var price = input.ContainsKey("price") ? Amount(input["price"]) : now.Price;
                var was = input.ContainsKey("compareAtPrice") ? Amount(input["compareAtPrice"]) : now.Was;
                if (price == now.Price && was == now.Was)
                {
                    unchanged++;
                    byProduct[product].Remove(variant);
                }
                else
                {
                    drift.Add(new PriceDrift(skus[variant], now.Price, now.Was, price, was));
                }
            }
        }

        return (unchanged, drift);
    }

    private static string Shown(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static decimal? Amount(JsonNode? money) =>
        money is JsonValue value && decimal.TryParse(value.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    // A product the index listed but the store no longer has: forget the index so the next call reads it again.
    private async Task<JsonObject> MutateAsync(ShopifyAdminClient client, string? store, string operation, string field, string mutation, JsonObject variables, CancellationToken cancellationToken)
    {
        try
        {
            return await client.MutateAsync(operation, field, mutation, variables, estimatedCost: 10, cancellationToken: cancellationToken);
        }
        catch (ShopifyUserErrorException ex) when (ex.Errors.Any(e => e.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase)))
        {
            index.Forget(store);
            throw;
        }
    }

    // Shopify's Money input is a decimal string; rounding to the currency is the mapping's job, not this one's.
    private static string Money(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
}
