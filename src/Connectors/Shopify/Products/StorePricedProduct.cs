using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Products;

/// <summary>
/// A product written to a store that prices its products itself (no ERP price list): the ERP gives a new variant no
/// price, and Shopify would sell it at 0.00. A new variant takes the price (and compare-at price) of the first variant
/// of its product the store has priced, as Shopify's admin does for a variant added by hand. Variants showing 0.00 (new
/// with no priced sibling, or so in the store) are <see cref="AtZero"/>. A product with no price at all (new, or a
/// draft none of whose variants the store has priced) is written as a draft until the merchant prices it. Otherwise
/// the ERP's status goes through: a variant the merchant sells for nothing (a free sample) is theirs to choose.
/// </summary>
internal sealed record StorePricedProduct(IReadOnlyDictionary<string, VariantPrice> Prices, IReadOnlyList<string> AtZero)
{
    public static StorePricedProduct Plan(
        ErpProduct product, JsonObject? existing, IReadOnlyDictionary<string, long> variantIds, IReadOnlyDictionary<string, VariantPrice> prices)
    {
        var storeVariants = (existing?["variants"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => (Sku: v["sku"]?.GetValue<string>()?.Trim() ?? "", Price: Money(v["price"]), CompareAt: Money(v["compareAtPrice"])))
            .ToList();
        var sibling = storeVariants.FirstOrDefault(v => variantIds.ContainsKey(v.Sku) && v.Price > 0m);
        var planned = new Dictionary<string, VariantPrice>(prices, StringComparer.Ordinal);
        var atZero = new List<string>();
        foreach (var variant in product.Variants)
        {
            if (variantIds.ContainsKey(variant.Sku))
            {
                if (storeVariants.FirstOrDefault(v => v.Sku == variant.Sku).Price is null or 0m)
                {
                    atZero.Add(variant.Sku);
                }
            }
            else if (!(prices.TryGetValue(variant.Sku, out var price) && price.Price is not null))
            {
                if (sibling.Price is { } siblingPrice)
                {
                    planned[variant.Sku] = new VariantPrice(variant.Sku, siblingPrice, sibling.CompareAt, true);
                }
                else
                {
                    atZero.Add(variant.Sku);
                }
            }
        }

        return new StorePricedProduct(planned, atZero);
    }

    /// <summary>
    /// The status to write: the ERP's, except that a product the store does not sell yet (new, or a draft there) stays
    /// a draft while every variant would show 0.00.
    /// </summary>
    public string StatusOf(ErpProduct product, JsonObject? existing)
    {
        var status = ProductStatusName.Of(product);
        var notSoldYet = existing is null || existing["status"]?.GetValue<string>() == "DRAFT";
        return status == "ACTIVE" && notSoldYet && AtZero.Count >= product.Variants.Count ? "DRAFT" : status;
    }

    private static decimal? Money(JsonNode? value) =>
        value is JsonValue v && decimal.TryParse(v.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null;
}
