using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A WooCommerce store with a catalogue of <see cref="Skus"/> SKUs: the first half simple products, the second half
/// variations (100 to a variable product), every one in the ERP with stock in MAIN-WH. It runs the schedules.
/// </summary>
public sealed class WooCommerceCatalogHost : WooCommerceStoreHost
{
    public const int Skus = 10_000;

    /// <summary>SKUs per variable product.</summary>
    public const int VariationsPerProduct = 100;

    /// <summary>A SKU whose product a plugin locks: the store refuses to change it.</summary>
    public const string LockedSku = "WSKU-00042";

    protected override bool Schedules => true;

    public static string Sku(int i) => "WSKU-" + i.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>What the ERP received of each SKU: 1 to 50 units.</summary>
    public static int Received(int i) => (i % 50) + 1;

    /// <summary>The store's stock quantity of every SKU (products and variations); null where it manages none.</summary>
    public IReadOnlyDictionary<string, decimal?> Stock()
    {
        var products = Woo.State.Products;
        var all = products.Concat(products.Where(p => (string?)p["type"] == "variable").SelectMany(p => Woo.State.Variations((long)p["id"]!)));
        return all.Where(i => (string?)i["sku"] is { Length: > 0 }).ToDictionary(
            i => (string)i["sku"]!,
            i => i["manage_stock"] is JsonValue managed && managed.GetValue<bool>() ? (decimal?)i["stock_quantity"] : null,
            StringComparer.Ordinal);
    }

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        for (var i = 0; i < Skus / 2; i++)
        {
            Woo.State.PutProduct(new JsonObject { ["name"] = "Item " + i, ["sku"] = Sku(i), ["type"] = "simple", ["manage_stock"] = false, ["stock_status"] = "instock" });
        }

        for (var product = 0; product < Skus / 2 / VariationsPerProduct; product++)
        {
            var parent = Woo.State.PutProduct(new JsonObject { ["name"] = "Variable " + product, ["sku"] = "WVAR-" + product, ["type"] = "variable" });
            for (var v = 0; v < VariationsPerProduct; v++)
            {
                var i = (Skus / 2) + (product * VariationsPerProduct) + v;
                Woo.State.PutVariation(parent, new JsonObject { ["sku"] = Sku(i), ["manage_stock"] = false });
            }
        }

        Woo.State.RefuseSku(LockedSku, "woocommerce_rest_product_not_editable", "The product is locked by another plugin.");
        await Parallel.ForEachAsync(Enumerable.Range(0, Skus), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await Ok(PostAsync("/api/erp/items", new { company = "EG01", sku = Sku(i), name = "Item " + i, itemGroup = "PRODUCTS" })));
        foreach (var chunk in Enumerable.Range(0, Skus).Chunk(1000))
        {
            await Ok(PostAsync("/api/erp/stock-entries", new
            {
                company = "EG01",
                purpose = "Receipt",
                postingDate = "2026-11-01",
                lines = chunk.Select(i => new { sku = Sku(i), qty = Received(i), rate = 20, warehouse = "MAIN-WH" }).ToArray(),
            }));
        }
    }
}
