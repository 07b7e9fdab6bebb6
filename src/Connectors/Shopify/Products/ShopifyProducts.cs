using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Catalogue;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Products;

/// <summary>Product status and variant prices, addressed by ERP SKU through the <see cref="ShopifySkuIndex"/>.</summary>
public sealed class ShopifyProducts(ShopifyAdminClients clients, ShopifySkuIndex index)
{
    // productChangeStatus is deprecated (2024-08) for productUpdate; ProductUpdateInput since 2024-10.
    internal const string StatusMutation =
        "mutation ProductUpdate($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id status } userErrors { field message } } }";

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
    /// </summary>
    public async Task<(int Updated, IReadOnlyList<(string? Sku, string Reason)> Skipped)> SetPricesAsync(
        string? store, IReadOnlyList<VariantPrice> prices, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        var skipped = new List<(string? Sku, string Reason)>();
        var variants = await index.ResolveAsync(store, prices.Where(p => !string.IsNullOrWhiteSpace(p.Sku)).Select(p => p.Sku!), cancellationToken);
        var byProduct = new Dictionary<long, Dictionary<long, JsonObject>>();
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
                }
            }
        }

        var updated = 0;
        foreach (var (productId, inputs) in byProduct)
        {
            // Shopify's input arrays hold at most 250 entries.
            foreach (var chunk in inputs.Values.Chunk(250))
            {
                await MutateAsync(client, store, "ProductVariantsBulkUpdate", "productVariantsBulkUpdate", PricesMutation, new JsonObject
                {
                    ["productId"] = ShopifyGid.Format("Product", productId),
                    ["variants"] = new JsonArray([.. chunk]),
                }, cancellationToken);
                updated += chunk.Length;
            }
        }

        return (updated, skipped);
    }

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
