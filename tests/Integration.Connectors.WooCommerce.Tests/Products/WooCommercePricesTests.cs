using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Products;
using Integration.Simulators.WooCommerce;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Tests.Products;

public sealed class WooCommercePricesTests : IDisposable
{
    private readonly WooCommerceSimulator _store = new();

    [Theory]
    [InlineData("Africa/Cairo", "2026-12-01", "2026-12-03", "2026-11-30T22:00:00", "2026-12-03T21:59:59")] // winter, UTC+2
    [InlineData("Africa/Cairo", "2026-07-10", "2026-07-10", "2026-07-09T21:00:00", "2026-07-10T20:59:59")] // summer time, UTC+3
    [InlineData("Africa/Cairo", "2026-04-24", "2026-04-30", "2026-04-23T22:00:00", "2026-04-30T20:59:59")] // the clocks jump from 00:00 to 01:00 that night
    [InlineData("UTC", "2026-12-01", "2026-12-01", "2026-12-01T00:00:00", "2026-12-01T23:59:59")]
    [InlineData("Asia/Dubai", "2026-12-01", "2026-12-02", "2026-11-30T20:00:00", "2026-12-02T19:59:59")]
    public void A_promotions_days_in_the_store_zone_are_written_as_gmt_from_midnight_to_235959(string zone, string from, string to, string fromGmt, string toGmt)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);

        Assert.Equal(fromGmt, SaleSchedule.FromGmt(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), tz));
        Assert.Equal(toGmt, SaleSchedule.ToGmt(DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), tz));
    }

    [Fact]
    public void Without_a_sale_the_sale_price_and_its_dates_are_cleared_with_empty_strings_not_nulls()
    {
        // WooCommerce ignores a null (isset) and clears on "": a promotion that ended must send "".
        var fields = WooCommercePrices.Fields(100m, new WooCommercePrice("MUG", 100m, null, null, null), TimeZoneInfo.Utc);

        Assert.Equal("100.00", (string?)fields["regular_price"]);
        Assert.Equal("", (string?)fields["sale_price"]);
        Assert.Equal("", (string?)fields["date_on_sale_from_gmt"]);
        Assert.Equal("", (string?)fields["date_on_sale_to_gmt"]);
    }

    [Fact]
    public async Task Prices_of_products_and_variations_go_in_batches_of_at_most_100_and_each_refused_item_is_reported()
    {
        for (var i = 0; i < 150; i++)
        {
            _store.State.PutProduct(new JsonObject { ["name"] = "Item " + i, ["sku"] = "P" + i });
        }

        var shirt = _store.State.PutProduct(new JsonObject { ["name"] = "Shirt", ["type"] = "variable", ["sku"] = "SHIRT" });
        for (var i = 0; i < 120; i++)
        {
            _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "V" + i });
        }

        _store.State.RefuseSku("P7", "woocommerce_rest_product_not_editable", "Locked.");
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Stores:0:TimeZone"] = "Africa/Cairo" });
        var prices = services.GetRequiredService<WooCommercePrices>();
        var lines = Enumerable.Range(0, 150).Select(i => new WooCommercePrice("P" + i, 100m, null, null, null))
            .Concat(Enumerable.Range(0, 120).Select(i => new WooCommercePrice("V" + i, 250m, 200m, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3))))
            .Append(new WooCommercePrice("GHOST", 10m, null, null, null))
            .ToList();

        var push = await prices.SetPricesAsync(WooCommerceRuntime.Store, lines);

        Assert.Equal(150 + 120 - 1, push.Updated);
        Assert.Equal(4, push.Requests); // 2 of products/batch, 2 of the shirt's variations/batch
        Assert.Equal(2, _store.BatchRequests("products/batch"));
        Assert.Equal(2, _store.BatchRequests($"products/{shirt}/variations/batch"));
        Assert.Equal(["GHOST", "P7"], push.Skipped.Select(s => s.Sku).Order(StringComparer.Ordinal));
        Assert.Contains("woocommerce_rest_product_not_editable", push.Skipped.Single(s => s.Sku == "P7").Reason, StringComparison.Ordinal);
        Assert.Equal(["P7"], push.Skipped.Where(s => s.Refused).Select(s => s.Sku)); // a SKU the store lacks is no refusal
        var variation = _store.State.Variations(shirt).Single(v => (string?)v["sku"] == "V42");
        Assert.Equal("250.00", (string?)variation["regular_price"]);
        Assert.Equal("200.00", (string?)variation["sale_price"]);
        Assert.Equal("2026-11-30T22:00:00", (string?)variation["date_on_sale_from_gmt"]);
        Assert.Equal("2026-12-03T21:59:59", (string?)variation["date_on_sale_to_gmt"]);
        Assert.Equal("100.00", (string?)_store.State.Products.Single(p => (string?)p["sku"] == "P149")["regular_price"]);
        Assert.Null(_store.State.Products.Single(p => (string?)p["sku"] == "P7")["regular_price"]);
    }

    [Fact]
    public async Task A_compared_push_reads_the_prices_the_store_shows_and_writes_only_the_items_priced_otherwise()
    {
        var mug = _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG" });
        _store.State.PutProduct(new JsonObject { ["name"] = "Cap", ["sku"] = "CAP" });
        var shirt = _store.State.PutProduct(new JsonObject { ["name"] = "Shirt", ["type"] = "variable", ["sku"] = "SHIRT" });
        var small = _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "SHIRT-S" });
        _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "SHIRT-M" });
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["Stores:0:TimeZone"] = "Africa/Cairo" });
        var prices = services.GetRequiredService<WooCommercePrices>();
        WooCommercePrice[] erp =
        [
            new("MUG", 100m, null, null, null),
            new("CAP", 80m, 60m, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3)),
            new("SHIRT-S", 250m, null, null, null),
            new("SHIRT-M", 250m, 200m, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3)),
        ];
        await prices.SetPricesAsync(WooCommerceRuntime.Store, erp);
        // In WordPress a person lowers the mug's price and puts the small shirt on sale without dates.
        var edited = _store.State.Product(mug)!;
        edited["regular_price"] = "90.00";
        _store.State.PutProduct(edited);
        var variation = _store.State.Variations(shirt).Single(v => (long)v["id"]! == small);
        variation["sale_price"] = "199.00";
        _store.State.PutVariation(shirt, variation);
        var batches = (_store.BatchRequests("products/batch"), _store.BatchRequests($"products/{shirt}/variations/batch"));

        var push = await prices.SetPricesAsync(WooCommerceRuntime.Store, erp, compare: true);

        Assert.Equal((2, 2, 2, 2), (push.Updated, push.Unchanged, push.Requests, push.Reads));
        Assert.Equal(
            [
                new PriceDrift("MUG", new ShownPrice(90m, null, null, null), new ShownPrice(100m, null, null, null)),
                new PriceDrift("SHIRT-S", new ShownPrice(250m, 199m, null, null), new ShownPrice(250m, null, null, null)),
            ],
            push.Drift.OrderBy(d => d.Sku, StringComparer.Ordinal));
        Assert.Equal((batches.Item1 + 1, batches.Item2 + 1), (_store.BatchRequests("products/batch"), _store.BatchRequests($"products/{shirt}/variations/batch")));
        Assert.Equal("100.00", (string?)_store.State.Product(mug)!["regular_price"]);
        Assert.Equal("", (string?)_store.State.Variations(shirt).Single(v => (long)v["id"]! == small)["sale_price"]);

        // Compared again: the store shows the ERP's prices (the cap's and the medium shirt's scheduled sales too), nothing is written.
        var again = await prices.SetPricesAsync(WooCommerceRuntime.Store, erp, compare: true);
        Assert.Equal((0, 4, 0), (again.Updated, again.Unchanged, again.Requests));
    }

    public void Dispose() => _store.Dispose();
}
