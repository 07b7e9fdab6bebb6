using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Testing.Telemetry;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// The ERP's truth reaching the store through the shipped flows, against the Shopify simulator and real PostgreSQL:
/// stock of a 10,000-SKU catalogue, prices and promotions on their dates, items on hold, deliveries, customers.
/// </summary>
public sealed class ErpToShopifyTests(ShopifyCatalogHost host, ITestOutputHelper output) : IClassFixture<ShopifyCatalogHost>
{
    [Fact]
    public async Task Stock_of_10000_skus_reaches_the_store_exactly_paced_by_its_rate_limit_then_only_what_changed()
    {
        var spentBefore = host.Shopify.PointsSpent;
        var watch = Stopwatch.StartNew();
        // The nightly full upload (the every-minute push may have run while the catalogue was being loaded).
        var first = await host.RunScheduleAsync("shopify-stock-push", "nightly");
        watch.Stop();

        for (var i = 0; i < ShopifyCatalogHost.Skus; i++)
        {
            Assert.Equal(ShopifyCatalogHost.Received(i), host.Shopify.State.Available(ShopifyCatalogHost.Sku(i)));
        }

        Assert.True(host.Shopify.Throttled == 0, "throttled: " + string.Join("; ", host.Shopify.ThrottledCalls));
        // Every catalogue SKU set once, compared first (the store showed 0 of each, so each differed unless the every-minute
        // push set it a moment before); the order fixture's three items are not in this store's catalogue and are skipped.
        var full = first.GetProperty("output").GetProperty(ShopifyStoreHost.Store).GetProperty("pushed");
        Assert.Equal(ShopifyCatalogHost.Skus + 1, full.GetProperty("pushed").GetInt32() + full.GetProperty("unchanged").GetInt32()); // and HOLD-ME
        Assert.Equal(full.GetProperty("pushed").GetInt32(), full.GetProperty("drifted").GetInt32());
        Assert.Equal(Math.Min(100, full.GetProperty("drifted").GetInt32()), full.GetProperty("drift").GetArrayLength());
        var points = host.Shopify.PointsSpent - spentBefore;
        var allowed = Math.Max(0, (points - host.Shopify.BucketSize) / host.Shopify.RestoreRate);
        output.WriteLine($"10,000 SKUs: {first.GetProperty("output").GetProperty(ShopifyStoreHost.Store).GetProperty("pushed")} in {watch.Elapsed.TotalSeconds:0.0} s; {points:0} points; " +
            $"the plan ({host.Shopify.RestoreRate:0} points/s, bucket {host.Shopify.BucketSize:0}) allows it in {allowed:0.0} s; 429 answers: {host.Shopify.Throttled}");

        // A sale changes three balances: the next run pushes those, not the catalogue.
        await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01",
            purpose = "Issue",
            postingDate = "2026-11-02",
            lines = new[] { 7, 70, 700 }.Select(i => new { sku = ShopifyCatalogHost.Sku(i), qty = 1, warehouse = "MAIN-WH" }).ToArray(),
        });
        var second = await host.RunScheduleAsync("shopify-stock-push", "everyMinute");

        // Only what changed, not the catalogue (the every-minute schedule may have pushed some a moment before, and
        // another test may have changed a balance or two meanwhile).
        Assert.InRange(second.GetProperty("output").GetProperty(ShopifyStoreHost.Store).GetProperty("pushed").GetProperty("pushed").GetInt32(), 0, 10);
        foreach (var i in new[] { 7, 70, 700 })
        {
            Assert.Equal(ShopifyCatalogHost.Received(i) - 1, host.Shopify.State.Available(ShopifyCatalogHost.Sku(i)));
        }

        // Two quantities changed by hand in Shopify: the next nightly upload says which, and how, and sets only those
        // (give or take a balance another test changed meanwhile).
        var location = host.Shopify.State.Locations[0].Id;
        host.Shopify.State.Variant(ShopifyCatalogHost.Sku(3))!.Available[location] = 99;
        host.Shopify.State.Variant(ShopifyCatalogHost.Sku(5))!.Available[location] = 0;

        var metricsBefore = await PrometheusScrape.TakeAsync(host.Client);
        var third = (await host.RunScheduleAsync("shopify-stock-push", "nightly")).GetProperty("output").GetProperty(ShopifyStoreHost.Store).GetProperty("pushed");
        Assert.InRange(third.GetProperty("drifted").GetInt32(), 2, 10);
        Assert.Equal(third.GetProperty("drifted").GetInt32(), third.GetProperty("pushed").GetInt32());
        var drift = third.GetProperty("drift").EnumerateArray().ToDictionary(d => d.GetProperty("sku").GetString()!, d => (d.GetProperty("store").GetInt32(), d.GetProperty("erp").GetInt32()));
        Assert.Equal((99, ShopifyCatalogHost.Received(3)), drift[ShopifyCatalogHost.Sku(3)]);
        Assert.Equal((0, ShopifyCatalogHost.Received(5)), drift[ShopifyCatalogHost.Sku(5)]);
        Assert.Equal(ShopifyCatalogHost.Received(3), host.Shopify.State.Available(ShopifyCatalogHost.Sku(3)));
        Assert.Equal(ShopifyCatalogHost.Received(5), host.Shopify.State.Available(ShopifyCatalogHost.Sku(5)));
        // Counted by side: the store offering more than the ERP promises is the oversell risk an operator watches for.
        var metricsAfter = await PrometheusScrape.TakeAsync(host.Client);
        double Drifted(string side) => metricsAfter.Sum("integration_connector_stock_drift_total", "connector=\"shopify\"", $"side=\"{side}\"")
            - metricsBefore.Sum("integration_connector_stock_drift_total", "connector=\"shopify\"", $"side=\"{side}\"");
        Assert.InRange(Drifted("store_more"), 1, 10);
        Assert.InRange(Drifted("store_less"), 1, 10);
    }

    [Fact]
    public async Task An_item_put_on_hold_in_the_erp_becomes_a_draft_product()
    {
        var sku = ShopifyCatalogHost.HeldSku;
        var product = host.Shopify.State.Variant(sku)!.ProductId;
        Assert.Equal("ACTIVE", host.Shopify.State.ProductStatus(product));

        var (status, body) = await host.PostAsync($"/api/erp/items/{sku}/status?company=EG01", new { status = "On hold" });
        Assert.True((int)status is >= 200 and < 300, body.ToString());

        // The change may wait in the outbox behind the 20,000 changes of the 10,000-item catalogue's seeding (several
        // loops feed them, keeping pace with the seeding on a quiet machine): on a slow machine that queue takes longer
        // than the usual 30 s.
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.ProductStatus(product) == "DRAFT", "the product becomes a draft", seconds: 90);
    }

    [Fact]
    public async Task A_price_on_a_list_no_store_pushes_starts_no_run()
    {
        var sku = ShopifyCatalogHost.Sku(6);
        await QuietAsync("shopify-prices");
        await host.PostAsync("/api/erp/price-lists", new { company = "EG01", id = "WHOLESALE", name = "Wholesale", currency = "EGP" });
        var (status, body) = await host.PostAsync("/api/erp/price-lists/WHOLESALE/prices", new { company = "EG01", sku, rate = 61 });
        Assert.True((int)status is >= 200 and < 300, body.ToString());
        (status, body) = await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate = 112 });
        Assert.True((int)status is >= 200 and < 300, body.ToString());

        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "112.00", "the web price reaches the store");
        await QuietAsync("shopify-prices");

        // By the runs each price's event started (other runs of the flow come and go: its morning schedule, promotions).
        // Dispatch loops take events side by side, so the wholesale one may still be committing when the web price lands.
        await ShopifyStoreHost.EventuallyAsync(async () => (await PriceEventAsync(sku, "WHOLESALE")).Status != "pending", "the wholesale price's event is dispatched");
        var wholesale = await PriceEventAsync(sku, "WHOLESALE");
        var web = await PriceEventAsync(sku, ShopifyCatalogHost.PriceList);
        Assert.Equal("done", wholesale.Status); // the trigger's filter refused it: no run, nothing failed
        var triggers = (await host.RunListAsync("shopify-prices")).Select(r => r.GetProperty("trigger").GetString()).ToList();
        Assert.DoesNotContain($"outbox:{wholesale.Id}", triggers);
        Assert.Contains($"outbox:{web.Id}", triggers);
    }

    [Fact]
    public async Task The_nightly_price_upload_walks_the_whole_price_list_and_sets_back_only_the_prices_changed_in_the_store()
    {
        // 260 SKUs on the web price list: more than one page of 250.
        var skus = Enumerable.Range(9000, 260).Select(ShopifyCatalogHost.Sku).ToList();
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (sku, _) =>
        {
            var (status, body) = await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate = 50 });
            Assert.True((int)status is >= 200 and < 300, body.ToString());
        });
        await ShopifyStoreHost.EventuallyAsync(() => skus.All(s => host.Shopify.State.Variant(s)!.Price == "50.00"), "the prices reach the store", seconds: 120);
        await QuietAsync("shopify-prices");
        // Every nightly run after this point counts, should one fire on its own too (the host pauses the schedule, as
        // another test of the class moves the host's clock by days; a run it fired may still be under way).
        var before = (await host.RunListAsync("shopify-prices")).Select(r => r.GetProperty("id").GetGuid()).ToHashSet();
        // In Shopify admin a person lowers one price and gives another a was-price, one on each page of the upload.
        host.Shopify.State.EditPrice(skus[3], "45.00", null);
        host.Shopify.State.EditPrice(skus[255], "50.00", "70.00");
        var mutations = host.Shopify.Ran("ProductVariantsBulkUpdate");

        var run = await host.RunScheduleAsync("shopify-prices", "nightly");
        await QuietAsync("shopify-prices");

        var uploads = new List<JsonElement>();
        foreach (var r in (await host.RunListAsync("shopify-prices")).Where(r => !before.Contains(r.GetProperty("id").GetGuid())
            && r.GetProperty("trigger").GetString()!.StartsWith("schedule:nightly@", StringComparison.Ordinal)))
        {
            var detail = await host.GetJsonAsync($"/api/runs/{r.GetProperty("id").GetGuid()}");
            Assert.True(detail.GetProperty("status").GetString() == "Finished", detail.ToString());
            uploads.Add(detail.GetProperty("output").GetProperty(ShopifyStoreHost.Store).GetProperty("prices"));
        }

        var drift = uploads.SelectMany(u => u.GetProperty("drift").EnumerateArray()).ToLookup(d => d.GetProperty("sku").GetString()!, d => d.GetProperty("store"));
        var (lowered, wasPrice) = (Assert.Single(drift[skus[3]]), Assert.Single(drift[skus[255]]));
        Assert.Equal((45m, JsonValueKind.Null), (lowered.GetProperty("price").GetDecimal(), lowered.GetProperty("compareAtPrice").ValueKind));
        Assert.Equal((50m, 70m), (wasPrice.GetProperty("price").GetDecimal(), wasPrice.GetProperty("compareAtPrice").GetDecimal()));
        // Every other price of the list was read and left alone (other tests of this class may have put a few more on it).
        Assert.All(uploads, u => Assert.Equal(u.GetProperty("drifted").GetInt32(), u.GetProperty("updated").GetInt32()));
        var upload = run.GetProperty("output").GetProperty(ShopifyStoreHost.Store).GetProperty("prices");
        Assert.InRange(upload.GetProperty("unchanged").GetInt32(), 258, 270);
        // One write per product with a variant to set (the two here are on products of their own), none for the rest.
        Assert.InRange(host.Shopify.Ran("ProductVariantsBulkUpdate") - mutations, 2, uploads.Sum(u => u.GetProperty("updated").GetInt32()));
        Assert.Equal(("50.00", "50.00", (string?)null), (host.Shopify.State.Variant(skus[3])!.Price, host.Shopify.State.Variant(skus[255])!.Price, host.Shopify.State.Variant(skus[255])!.CompareAtPrice));
    }

    private async Task<(long Id, string Status)> PriceEventAsync(string sku, string priceList)
    {
        await using var connection = await host.OpenAsync();
        return await Dapper.SqlMapper.QuerySingleAsync<(long, string)>(connection, """
            SELECT id, status FROM integration.outbox
            WHERE topic = 'erp.price.changed' AND entity_key = @sku AND payload->>'priceList' = @priceList
            ORDER BY id DESC LIMIT 1
            """, new { sku, priceList });
    }

    [Fact]
    public async Task A_promotion_switches_the_store_price_on_its_start_date_and_back_after_its_end()
    {
        var sku = ShopifyCatalogHost.Sku(5);
        await PricedInStoreAsync(sku, 100);
        await QuietAsync("shopify-prices");

        var today = host.Today;
        var ended = (await host.RunListAsync("shopify-prices")).Count;
        var (status, body) = await host.PostAsync("/api/erp/promotions", new
        {
            company = "EG01",
            id = "BLACK-FRIDAY",
            name = "Black Friday",
            kind = "Percentage",
            value = 20,
            skus = new[] { sku },
            validFrom = today.AddDays(1),
            validTo = today.AddDays(3),
        });
        Assert.True((int)status is >= 200 and < 300, body.ToString());
        await QuietAsync("shopify-prices", ended + 1); // the promotion's event is handled
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.Price); // not yet: it starts tomorrow

        // Eventually, not at once: on a loaded machine the run the schedule started may not be the first to end.
        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "80.00", "the promotion's price on its first day");
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.CompareAtPrice);
        await QuietAsync("shopify-prices"); // nothing priced on the first day may still be on its way when the clock moves on

        host.Clock.Advance(TimeSpan.FromDays(3));
        await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "100.00", "the base price the day after the promotion");
        Assert.Null(host.Shopify.State.Variant(sku)!.CompareAtPrice);
        await QuietAsync("shopify-prices");
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.Price);
    }

    [Fact]
    public async Task A_promotion_for_the_shopify_channel_reaches_the_store_and_one_for_woocommerce_does_not()
    {
        var sku = ShopifyCatalogHost.Sku(8);
        await PricedInStoreAsync(sku, 100);
        await QuietAsync("shopify-prices");
        var today = host.Today;

        var ended = (await host.RunListAsync("shopify-prices")).Count;
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/promotions", new
        {
            company = "EG01", id = "WOO-HALF", name = "Half price on the other store", kind = "Percentage", value = 50,
            skus = new[] { sku }, validFrom = today, validTo = today.AddDays(3), channel = "woocommerce",
        }));
        await QuietAsync("shopify-prices", ended + 1);
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.Price);

        // A promotion names its channel by system, as the ERP's API does: the store's flow asks for shopify/<store>.
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/promotions", new
        {
            company = "EG01", id = "SHOPIFY-10", name = "10 % in the Shopify store", kind = "Percentage", value = 10,
            skus = new[] { sku }, validFrom = today, validTo = today.AddDays(3), channel = "shopify",
        }));

        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "90.00", "the Shopify channel's promotion in the store");
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.CompareAtPrice);
    }

    [Fact]
    public async Task A_price_ended_as_of_yesterday_is_an_incident_at_once_since_no_day_run_will_see_it_end()
    {
        var sku = ShopifyCatalogHost.Sku(11);
        await PricedInStoreAsync(sku, 130);
        await QuietAsync("shopify-prices");

        // Its price row is ended as of yesterday (taken off the list), with none after it.
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate = 130, validTo = host.Today.AddDays(-1) });

        await ShopifyStoreHost.EventuallyAsync(async () => (await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray()
            .Any(i => i.GetProperty("message").GetString() is { } m && m.Contains(sku, StringComparison.Ordinal) && m.Contains("no price from", StringComparison.Ordinal)),
            "an incident naming the item without a price");
        Assert.Equal("130.00", host.Shopify.State.Variant(sku)!.Price); // the store keeps its last price: a person decides
        await QuietAsync("shopify-prices");
    }

    [Fact]
    public async Task A_price_that_ends_with_none_after_it_is_an_incident_naming_the_sku_once()
    {
        var (sku, resumed) = (ShopifyCatalogHost.Sku(9), ShopifyCatalogHost.Sku(10));
        var today = host.Today;
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate = 120, validTo = today });
        // Another item's price ends today too, but its next one is set from the day after tomorrow: not an item without a price.
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku = resumed, rate = 80, validTo = today });
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku = resumed, rate = 90, validFrom = today.AddDays(2) });
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "120.00" && host.Shopify.State.Variant(resumed)!.Price == "80.00", "the prices reach the store");
        await QuietAsync("shopify-prices");

        host.Clock.Advance(TimeSpan.FromDays(1));
        var run = await host.RunScheduleAsync("shopify-prices", "every15Minutes");

        // The store keeps the last price (the ERP has none to give); a person is told which item has none.
        Assert.Equal("120.00", host.Shopify.State.Variant(sku)!.Price);
        var incident = Assert.Single(run.GetProperty("incidents").EnumerateArray()).GetProperty("message").GetString()!;
        Assert.Contains(sku, incident, StringComparison.Ordinal);
        Assert.Contains("no price from", incident, StringComparison.Ordinal);
        Assert.DoesNotContain(resumed, incident, StringComparison.Ordinal);
        await QuietAsync("shopify-prices");

        // Once: the next hour's run has its day priced already.
        var next = await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        Assert.Empty(next.GetProperty("incidents").EnumerateArray());
    }

    [Fact]
    public async Task A_promotion_starts_at_midnight_in_the_stores_time_zone_not_at_midnight_utc()
    {
        var sku = ShopifyCatalogHost.Sku(6);
        await PricedInStoreAsync(sku, 100);
        await QuietAsync("shopify-prices");

        // Half an hour before the next midnight in Cairo, a promotion from the day that midnight begins.
        var now = host.Clock.GetUtcNow();
        var midnight = TimeZoneInfo.ConvertTime(now, ShopifyCatalogHost.Cairo).Date.AddDays(1);
        host.Clock.Advance(TimeZoneInfo.ConvertTimeToUtc(midnight, ShopifyCatalogHost.Cairo) - now.UtcDateTime - TimeSpan.FromMinutes(30));
        var firstDay = DateOnly.FromDateTime(midnight);
        var ended = (await host.RunListAsync("shopify-prices")).Count;
        var (status, body) = await host.PostAsync("/api/erp/promotions", new
        {
            company = "EG01", id = "NILE-NIGHTS", name = "Nile nights", kind = "Percentage", value = 20,
            skus = new[] { sku }, validFrom = firstDay, validTo = firstDay.AddDays(1),
        });
        Assert.True((int)status is >= 200 and < 300, body.ToString());
        await QuietAsync("shopify-prices", ended + 1);
        await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.Price); // 23:30 in Cairo: not yet

        // 00:10 in Cairo, still the day before in UTC: the promotion has begun where the store sells.
        host.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(firstDay.AddDays(-1), DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime));
        await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "80.00", "the promotion's price just after midnight in Cairo");
        Assert.Equal("100.00", host.Shopify.State.Variant(sku)!.CompareAtPrice);
        await QuietAsync("shopify-prices");

        // The next hour's run finds the day already priced: nothing is pushed again.
        var pushes = host.Shopify.Ran("ProductVariantsBulkUpdate");
        await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        Assert.Equal(pushes, host.Shopify.Ran("ProductVariantsBulkUpdate"));
    }

    [Fact]
    public async Task A_promotion_on_an_item_group_reaches_the_stores_at_once_for_the_items_of_its_subgroups_and_those_moved_in_or_out()
    {
        // Two lamps of a subgroup of HOMEWARE, sold in the store, and one item of another group.
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/item-groups", new { company = "EG01", id = "HOMEWARE", name = "Homeware", isGroup = true }));
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/item-groups", new { company = "EG01", id = "DESK-LAMPS", name = "Desk lamps", parent = "HOMEWARE" }));
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/item-groups", new { company = "EG01", id = "RUGS", name = "Rugs" }));
        foreach (var (sku, group) in new[] { ("LAMP-BRASS-1", "DESK-LAMPS"), ("LAMP-GLASS-1", "DESK-LAMPS"), ("RUG-WOOL-1", "RUGS") })
        {
            Assert.Contains(sku, ShopifyCatalogHost.GroupedSkus);
            await StoreErpSetup.Ok(host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = sku, itemGroup = group }));
            await StoreErpSetup.Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate = 500 }));
        }

        await ShopifyStoreHost.EventuallyAsync(() => ShopifyCatalogHost.GroupedSkus.All(s => host.Shopify.State.Variant(s)!.Price == "500.00"), "the prices reach the store");
        await QuietAsync("shopify-prices");

        // Made during its days (it began yesterday): no schedule will bring it, the promotion's own event must.
        var ended = (await host.RunListAsync("shopify-prices")).Count;
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/promotions", new
        {
            company = "EG01", id = "HOMEWARE-10", name = "Homeware 10 %", kind = "Percentage", value = 10,
            itemGroups = new[] { "HOMEWARE" }, validFrom = host.Today.AddDays(-1), validTo = host.Today.AddDays(6),
        }));
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant("LAMP-BRASS-1")!.Price == "450.00" && host.Shopify.State.Variant("LAMP-GLASS-1")!.Price == "450.00",
            "the promotion's price reaches the lamps");
        await QuietAsync("shopify-prices", ended + 1);

        Assert.Equal(("450.00", "500.00"), (host.Shopify.State.Variant("LAMP-BRASS-1")!.Price, host.Shopify.State.Variant("LAMP-BRASS-1")!.CompareAtPrice));
        Assert.Equal("450.00", host.Shopify.State.Variant("LAMP-GLASS-1")!.Price);
        Assert.Equal(("500.00", (string?)null), (host.Shopify.State.Variant("RUG-WOOL-1")!.Price, host.Shopify.State.Variant("RUG-WOOL-1")!.CompareAtPrice));

        // Moved into the promoted group, the rug takes its price at once; the glass lamp moved out goes back to its own.
        await StoreErpSetup.Ok(host.PatchAsync("/api/erp/items/RUG-WOOL-1?company=EG01", new { itemGroup = "DESK-LAMPS" }));
        await StoreErpSetup.Ok(host.PatchAsync("/api/erp/items/LAMP-GLASS-1?company=EG01", new { itemGroup = "RUGS" }));
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant("RUG-WOOL-1")!.Price == "450.00" && host.Shopify.State.Variant("LAMP-GLASS-1")!.Price == "500.00",
            "the moved items are priced by their new groups");
        Assert.Equal("500.00", host.Shopify.State.Variant("RUG-WOOL-1")!.CompareAtPrice);
        Assert.Null(host.Shopify.State.Variant("LAMP-GLASS-1")!.CompareAtPrice);
        await QuietAsync("shopify-prices");

        // Ended now (its last day was yesterday): the items of its groups go back to their price at once.
        await StoreErpSetup.Ok(host.PostAsync("/api/erp/promotions/HOMEWARE-10/end", new { company = "EG01", lastDay = host.Today.AddDays(-1) }));
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant("LAMP-BRASS-1")!.Price == "500.00" && host.Shopify.State.Variant("RUG-WOOL-1")!.Price == "500.00",
            "the ended promotion's items back at their price");
        Assert.Null(host.Shopify.State.Variant("LAMP-BRASS-1")!.CompareAtPrice);
        Assert.Null(host.Shopify.State.Variant("RUG-WOOL-1")!.CompareAtPrice);
        await QuietAsync("shopify-prices");
    }

    [Fact]
    public async Task A_price_the_store_refuses_leaves_the_others_priced_and_its_day_kept_so_the_next_hour_pushes_nothing_again()
    {
        // Two SKUs of two products, each with a new price from tomorrow; the store refuses the first one's.
        var (refused, other) = (ShopifyCatalogHost.Sku(7), ShopifyCatalogHost.Sku(150));
        var tomorrow = host.Today.AddDays(1);
        foreach (var (sku, rate) in new[] { (refused, 100m), (other, 100m) })
        {
            await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate });
        }

        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(refused)!.Price == "100.00" && host.Shopify.State.Variant(other)!.Price == "100.00", "today's prices reach the store");
        await QuietAsync("shopify-prices");
        var ended = (await host.RunListAsync("shopify-prices")).Count;
        host.Shopify.State.PricesRefused.Add(refused);
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku = refused, rate = 99.95m, validFrom = tomorrow });
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku = other, rate = 80m, validFrom = tomorrow });
        await QuietAsync("shopify-prices", ended + 2); // both events handled (nothing to push today) before the day moves

        host.Clock.Advance(TimeSpan.FromDays(1));
        var run = await host.RunScheduleAsync("shopify-prices", "every15Minutes");

        // The store takes the other product's price; the refusal is the store run's incident, naming the SKU.
        Assert.Equal("80.00", host.Shopify.State.Variant(other)!.Price);
        Assert.Equal("100.00", host.Shopify.State.Variant(refused)!.Price);
        Assert.True(run.GetProperty("incidents").GetArrayLength() == 1, run.ToString());
        var incident = run.GetProperty("incidents")[0].GetProperty("message").GetString()!;
        Assert.Contains("shopify-prices-store", incident, StringComparison.Ordinal);
        Assert.Contains($"{refused}.price INVALID_INPUT", incident, StringComparison.Ordinal);
        await QuietAsync("shopify-prices");

        // Its day is kept: the next hour's run prices nothing again (no incident an hour until someone fixes the price).
        // Counted for the two SKUs: the catalogue's products created meanwhile have their prices written too.
        var pushes = (host.Shopify.PriceWritesOf(refused), host.Shopify.PriceWritesOf(other));
        var next = await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        Assert.Empty(next.GetProperty("incidents").EnumerateArray());
        Assert.Equal(pushes, (host.Shopify.PriceWritesOf(refused), host.Shopify.PriceWritesOf(other)));

        // Once the store takes it, a retry of the store run's incident pushes the refused price, the day being kept.
        host.Shopify.State.PricesRefused.Remove(refused);
        long storeIncident;
        await using (var connection = await host.OpenAsync())
        {
            storeIncident = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, """
                SELECT i.id FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id
                WHERE i.status = 'Open' AND r.definition_id = 'shopify-prices-store' ORDER BY i.id DESC LIMIT 1
                """);
        }

        var (retried, answer) = await host.PostAsync($"/api/incidents/{storeIncident}/retry", new { });
        Assert.True(retried == System.Net.HttpStatusCode.OK, answer.ToString());
        Assert.Equal("99.95", host.Shopify.State.Variant(refused)!.Price);

        // A price put right in the ERP reaches the store by its own event.
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku = refused, rate = 99.99m, validFrom = tomorrow });
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(refused)!.Price == "99.99", "the corrected price reaches the store");
        await QuietAsync("shopify-prices");
    }

    [Fact]
    public async Task An_uninstalled_app_pauses_the_stock_push_until_the_store_is_connected_again()
    {
        var sku = ShopifyCatalogHost.Sku(23);
        var shop = $$"""{"id":548380009,"name":"Cairo Fashion","myshopify_domain":"{{ShopifyStoreHost.ShopDomain}}"}""";
        Assert.Equal("done", await host.DeliverAsync("app/uninstalled", shop));
        await ShopifyStoreHost.EventuallyAsync(async () => await host.CountAsync(
            "SELECT count(*) FROM integration.shopify_store_pauses WHERE store = @store", new { store = ShopifyStoreHost.Store }) == 1, "the store is paused");
        // A push begun before the pause (the catalogue's first, 40 pages, may still be on its way) goes to its end.
        await QuietAsync("shopify-stock-push-store");
        var before = host.Shopify.State.Available(sku);

        // A sale while paused: the every-minute push ends quietly instead of failing on a revoked token every minute.
        await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Issue", postingDate = "2026-11-03",
            lines = new[] { new { sku, qty = 1, warehouse = "MAIN-WH" } },
        });
        var sets = host.Shopify.Ran("SetInventory");
        var paused = await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(0, paused.GetProperty("incidents").GetArrayLength());
        Assert.Equal(sets, host.Shopify.Ran("SetInventory"));
        Assert.Equal(before, host.Shopify.State.Available(sku));

        // Connected again (what `shopify connect` does once the app is back): the next push brings the store up to date.
        await using (var connection = await host.OpenAsync())
        {
            Assert.True(await Integration.Connectors.Shopify.Stores.ShopifyStorePauses.ResumeAsync(connection, ShopifyStoreHost.Store));
        }

        // The run the schedule starts now, or the flow's own timer's if it comes first: both push from the watermark the paused runs left.
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Available(sku) == ShopifyCatalogHost.Received(23) - 1, "the sale made while paused reaches the store");
    }

    [Fact]
    public async Task A_price_read_before_one_already_pushed_never_overwrites_it()
    {
        // Two runs of the price flow overlapping: the one that read later pushed first. The late push of the earlier
        // read is skipped for that SKU; a push of a later read still goes through.
        var sku = ShopifyCatalogHost.Sku(11);
        var earlier = DateTimeOffset.UtcNow;
        Task<JsonObject> PushAsync(string price, DateTimeOffset readAt) => PricePushProbe.PushAsync(host.Services, "Shopify.SetPrices", sku, price, readAt);

        await PushAsync("91.00", earlier.AddSeconds(2));
        var late = await PushAsync("81.00", earlier);
        Assert.Equal(0, (int)late["updated"]!);
        Assert.Equal("a price read later was pushed already", (string?)late["skipped"]![0]!["reason"]);
        Assert.Equal("91.00", host.Shopify.State.Variant(sku)!.Price);

        Assert.Equal(1, (int)(await PushAsync("71.00", earlier.AddSeconds(3)))["updated"]!);
        Assert.Equal("71.00", host.Shopify.State.Variant(sku)!.Price);
    }

    [Fact]
    public async Task A_delivery_in_the_erp_creates_the_shopify_fulfilment_with_its_tracking_number_once()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var invoice = await host.GetJsonAsync($"/api/erp/sales-documents/{await InvoiceIdAsync(order)}");

        foreach (var _ in new[] { 1, 2 })
        {
            var (status, body) = await host.PostAsync("/api/erp/deliveries", new
            {
                company = "EG01",
                documentId = invoice.GetProperty("id").GetInt64(),
                postingDate = "2026-11-25",
                carrier = "Aramex",
                trackingNo = "AX-" + order.Id,
                source = new { system = "erp", store = "deliveries", id = "DN-" + order.Id },
            });
            Assert.True((int)status is >= 200 and < 300, body.ToString());
        }

        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Fulfillments(order.Id).Count > 0, "the fulfilment is created");
        var fulfilment = Assert.Single(host.Shopify.State.Fulfillments(order.Id));
        Assert.Equal("Aramex", fulfilment.TrackingCompany);
        Assert.Equal("AX-" + order.Id, fulfilment.TrackingNumber);
        Assert.Equal("fulfilled", (string?)host.Shopify.State.Order(order.Id)!["fulfillment_status"]);

        // A second parcel of the order, shipped later: its number joins the fulfilment's tracking.
        var (parcel, parcelBody) = await host.PostAsync("/api/erp/deliveries", new
        {
            company = "EG01", documentId = invoice.GetProperty("id").GetInt64(), postingDate = "2026-11-26", carrier = "Aramex", trackingNo = "AX2-" + order.Id,
            source = new { system = "erp", store = "deliveries", id = "DN2-" + order.Id },
        });
        Assert.True((int)parcel is >= 200 and < 300, parcelBody.ToString());
        List<string?> outcomes = [];
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            outcomes = [.. (await host.RunsAsync($"shopify:{ShopifyStoreHost.Store}:order:{order.Id}"))
                .Where(r => r.GetProperty("definitionId").GetString() == "shopify-fulfilment" && r.GetProperty("status").GetString() == "Finished")
                .Select(r => r.GetProperty("output").GetProperty("outcome").GetString()).Order(StringComparer.Ordinal)];
            return outcomes.Count == 2;
        }, "both deliveries' runs end");
        Assert.Equal(["fulfilled", "parcel added to the fulfilment"], outcomes);
        Assert.Equal(["AX-" + order.Id, "AX2-" + order.Id], Assert.Single(host.Shopify.State.Fulfillments(order.Id)).Tracking.Select(t => t.Number));
    }

    [Fact]
    public async Task A_customer_field_written_to_shopify_does_not_bounce_back_into_the_erp()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var customerId = (await host.GetJsonAsync($"/api/erp/sales-documents/{await InvoiceIdAsync(order)}")).GetProperty("customer").GetString()!;

        // Shopify's customers/update with the full customer (the order carried only a part of it) fills in the ERP.
        Assert.Equal("done", await host.DeliverAsync("customers/update", host.Shopify.State.Customer(order.CustomerId)!.ToJsonString()));

        // Someone in the ERP records the customer's tax id: it is pushed to the Shopify customer's metafields.
        using (var put = await host.Client.PutAsJsonAsync($"/api/erp/customers/{customerId}", new { company = "EG01", taxId = "EG-555-111-222" }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await ShopifyStoreHost.EventuallyAsync(() => TaxIdInShopify(order.CustomerId) == "EG-555-111-222", "the tax id reaches Shopify");

        // Shopify then tells us the customer changed (our own write): the echo is recognised and the ERP is left alone.
        var changesBefore = await host.CountAsync("SELECT count(*) FROM integration.outbox WHERE topic = 'erp.customer.changed' AND entity_key = @customerId", new { customerId });
        Assert.Equal("done", await host.DeliverAsync("customers/update", host.Shopify.State.Customer(order.CustomerId)!.ToJsonString()));

        var run = (await host.RunsAsync($"shopify:{ShopifyStoreHost.Store}:customer:{order.CustomerId}"))
            .Where(r => r.GetProperty("definitionId").GetString() == "shopify-customer-sync").First(); // newest first
        Assert.Equal($"Unchanged {customerId}", run.GetProperty("output").GetProperty("outcome").GetString());
        var result = run.GetProperty("journal").EnumerateArray().Single(j => j.GetProperty("activityId").GetString() == "customer").GetProperty("outputs").GetProperty("result");
        if (result.TryGetProperty("$payload", out var key))
        {
            result = await host.GetJsonAsync($"/api/runs/{run.GetProperty("id").GetGuid()}/payloads/{Uri.EscapeDataString(key.GetString()!)}");
        }

        Assert.Contains(result.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("field").GetString() == "taxId" && s.GetProperty("reason").GetString() == "echo");
        Assert.Equal(changesBefore, await host.CountAsync("SELECT count(*) FROM integration.outbox WHERE topic = 'erp.customer.changed' AND entity_key = @customerId", new { customerId }));
        Assert.Equal("EG-555-111-222", (await host.GetJsonAsync($"/api/erp/customers/{customerId}?company=EG01")).GetProperty("taxId").GetString());
    }

    [Fact]
    public async Task A_late_customers_update_with_an_older_address_does_not_overwrite_the_newer_one()
    {
        static JsonObject Customer(string street, string updatedAt) => new()
        {
            ["email"] = "karim.late@example.eg", ["first_name"] = "Karim", ["updated_at"] = updatedAt,
            ["default_address"] = new JsonObject { ["address1"] = street, ["city"] = "Cairo", ["country_code"] = "EG", ["zip"] = "11511" },
        };
        var id = host.Shopify.State.AddCustomer(Customer("12 Tahrir St", "2026-03-01T10:00:00Z"));
        var older = host.Shopify.State.Customer(id)!.ToJsonString();
        Assert.Equal("done", await host.DeliverAsync("customers/create", older));

        // The customer moves: Shopify's webhook of the move arrives first, the one of the old address after it (a retry).
        var moved = Customer("5 Corniche Rd", "2026-03-02T10:00:00Z");
        moved["id"] = id;
        host.Shopify.State.AddCustomer(moved);
        Assert.Equal("done", await host.DeliverAsync("customers/update", host.Shopify.State.Customer(id)!.ToJsonString()));
        Assert.Equal("done", await host.DeliverAsync("customers/update", older));

        string erpId;
        await using (var connection = await host.OpenAsync())
        {
            erpId = Assert.Single(await Dapper.SqlMapper.QueryAsync<string>(connection,
                "SELECT customer FROM erp.customer_external_id WHERE source = 'shopify' AND external_id = @gid", new { gid = $"gid://shopify/Customer/{id}" }));
        }

        var erp = await host.GetJsonAsync($"/api/erp/customers/{erpId}?company=EG01");
        Assert.Equal("5 Corniche Rd", erp.GetProperty("billingAddress").GetProperty("line1").GetString());
    }

    private string? TaxIdInShopify(long customerId) =>
        (host.Shopify.State.Customer(customerId)?["metafields"] as System.Text.Json.Nodes.JsonArray ?? [])
            .OfType<System.Text.Json.Nodes.JsonObject>().Where(m => (string?)m["key"] == "tax_id").Select(m => (string?)m["value"]).FirstOrDefault();

    private async Task<long> InvoiceIdAsync(ShopifyOrderPayload order)
    {
        await using var connection = await host.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'shopify' AND source_id = @id", new { id = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    // The item's price on the store's price list, once the store shows it.
    private async Task PricedInStoreAsync(string sku, int rate)
    {
        await host.PostAsync($"/api/erp/price-lists/{ShopifyCatalogHost.PriceList}/prices", new { company = "EG01", sku, rate });
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == $"{rate}.00", $"the price {rate}.00 reaches the store");
    }

    /// <summary>Waits until every run of a flow has ended (none still going), and at least <paramref name="ended"/> have.</summary>
    private async Task QuietAsync(string flow, int ended = 0) =>
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            var runs = await host.RunListAsync(flow);
            return runs.Count(r => r.GetProperty("status").GetString() is "Finished" or "Faulted") >= ended
                && runs.All(r => r.GetProperty("status").GetString() is "Finished" or "Faulted");
        }, $"the runs of {flow} end");
}
