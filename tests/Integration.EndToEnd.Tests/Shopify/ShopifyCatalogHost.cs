using System.Globalization;
using Integration.Simulators.Shopify;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A store with a catalogue of <see cref="Skus"/> items on the Shopify Plus plan (1,000 points/s), every one in the
/// ERP with stock in MAIN-WH (Shopify's main location) and on the store's price list WEB; the host's clock can be
/// moved forward (<see cref="Clock"/>).
/// </summary>
public sealed class ShopifyCatalogHost() : ShopifyStoreHost(ShopifyPlan.Plus)
{
    public const int Skus = 10_000;
    public const string PriceList = "WEB";

    /// <summary>The store sells in Cairo: its prices and promotions change at midnight there.</summary>
    public static readonly TimeZoneInfo Cairo = TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo");

    /// <summary>A product of its own for the test that puts an item on hold (its stock then promises nothing).</summary>
    public const string HeldSku = "HOLD-ME";

    /// <summary>Products of their own for the test of a promotion on item groups (the test makes their ERP items).</summary>
    public static readonly string[] GroupedSkus = ["LAMP-BRASS-1", "LAMP-GLASS-1", "RUG-WOOL-1"];

    public ShiftedClock Clock { get; } = new();

    /// <summary>The store's date now (in Cairo).</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Cairo).DateTime);

    public static string Sku(int i) => "SKU-" + i.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>What the ERP received of each SKU: 1 to 50 units.</summary>
    public static int Received(int i) => (i % 50) + 1;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Shopify:Stores:0:PriceList", PriceList),
        new("Connectors:Shopify:Stores:0:TimeZone", Cairo.Id),
        new("Connectors:Shopify:Stores:0:Locations:0:LocationId", Shopify.State.Locations[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:0:Warehouse", "MAIN-WH"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        for (var product = 0; product < Skus / 100; product++)
        {
            Shopify.State.AddProduct($"Product {product}", [.. Enumerable.Range(product * 100, 100).Select(Sku)]);
        }

        Shopify.State.AddProduct("Held product", HeldSku);
        foreach (var sku in GroupedSkus)
        {
            Shopify.State.AddProduct(sku, sku);
        }

        await Ok(PostAsync("/api/erp/items", new { company = "EG01", sku = HeldSku, name = "Held product", itemGroup = "PRODUCTS" }));
        await Ok(PostAsync("/api/erp/stock-entries", new { company = "EG01", purpose = "Receipt", postingDate = "2026-11-01", lines = new[] { new { sku = HeldSku, qty = 5, rate = 20, warehouse = "MAIN-WH" } } }));
        await Ok(PostAsync("/api/erp/price-lists", new { company = "EG01", id = PriceList, name = "Web shop", currency = "EGP" }));
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
