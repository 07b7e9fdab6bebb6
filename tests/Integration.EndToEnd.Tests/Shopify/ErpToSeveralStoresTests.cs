using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// One ERP, two Shopify stores: the ERP -> store flows reach every store set up for them, each store a run of its
/// own, and a store that refuses is an incident naming it while the other store is still updated.
/// </summary>
public sealed class ErpToSeveralStoresTests(ShopifyTwoStoresHost host) : IClassFixture<ShopifyTwoStoresHost>
{
    private const string Cairo = ShopifyStoreHost.Store;
    private const string Outlet = ShopifyTwoStoresHost.OutletStore;

    [Fact]
    public async Task A_stock_change_and_a_price_change_land_on_both_stores()
    {
        const string sku = "MUG-WHT";
        var full = await host.RunScheduleAsync("shopify-stock-push", "nightly");
        Assert.Equal(100, host.Shopify.State.Available(sku));
        Assert.Equal(100, host.Outlet.State.Available(sku));
        Assert.Equal(0, full.GetProperty("incidents").GetArrayLength());

        // A sale of three mugs in the ERP: the next every-minute push brings both stores down to 97.
        await Ok(host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Issue", postingDate = "2026-11-02",
            lines = new[] { new { sku, qty = 3, warehouse = "MAIN-WH" } },
        }));
        var changed = await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(97, host.Shopify.State.Available(sku));
        Assert.Equal(97, host.Outlet.State.Available(sku));

        // Each store is a run of its own, and the parent's output says what each pushed.
        foreach (var store in new[] { Cairo, Outlet })
        {
            Assert.True(changed.GetProperty("output").GetProperty(store).GetProperty("pushed").GetProperty("pushed").GetInt32() >= 0);
            var runs = await host.RunsAsync($"shopify:{store}:stock");
            Assert.Contains(runs, r => r.GetProperty("definitionId").GetString() == "shopify-stock-push-store" && r.GetProperty("status").GetString() == "Finished");
        }

        // The price list's new price reaches both stores at once (the ERP's event).
        await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyTwoStoresHost.PriceList}/prices", new { company = "EG01", sku, rate = 55 }));
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "55.00" && host.Outlet.State.Variant(sku)!.Price == "55.00",
            "the price reaches both stores");
        foreach (var store in new[] { Cairo, Outlet })
        {
            // The store has the price as soon as the run writes it; the run is saved a moment later.
            await ShopifyStoreHost.EventuallyAsync(
                async () => (await host.RunsAsync($"shopify:{store}:prices")).Any(r => r.GetProperty("status").GetString() == "Finished"),
                $"the price run of {store} is saved as finished");
        }
    }

    [Fact]
    public async Task One_store_refusing_leaves_the_other_updated_and_is_an_incident_naming_it()
    {
        const string sku = "CAP-BLK";
        await Ok(host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Issue", postingDate = "2026-11-03",
            lines = new[] { new { sku, qty = 2, warehouse = "MAIN-WH" } },
        }));
        host.Outlet.FailOperation("SetInventory", HttpStatusCode.Forbidden);
        host.Outlet.FailOperation("ProductVariantsBulkUpdate", HttpStatusCode.Forbidden);
        try
        {
            var outletBefore = host.Outlet.State.Available(sku);
            var run = await host.RunScheduleAsync("shopify-stock-push", "nightly");

            Assert.Equal(98, host.Shopify.State.Available(sku));
            Assert.Equal(outletBefore, host.Outlet.State.Available(sku));
            var incident = Assert.Single(run.GetProperty("incidents").EnumerateArray());
            Assert.Contains($"shopify:{Outlet}:stock", incident.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(run.GetProperty("output").TryGetProperty(Cairo, out _));
            Assert.False(run.GetProperty("output").TryGetProperty(Outlet, out _));
            var failed = (await host.RunsAsync($"shopify:{Outlet}:stock"))[0]; // newest first
            Assert.Equal("Faulted", failed.GetProperty("status").GetString());
            Assert.Contains("403", Assert.Single(failed.GetProperty("incidents").EnumerateArray()).GetProperty("message").GetString(), StringComparison.Ordinal);

            // A price change in the same state: Cairo shows it, the outlet's refusal is its own incident.
            var priceRuns = (await host.RunListAsync("shopify-prices")).Count;
            await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyTwoStoresHost.PriceList}/prices", new { company = "EG01", sku, rate = 35 }));
            await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant(sku)!.Price == "35.00", "the price reaches Cairo");
            JsonElement prices = default;
            await ShopifyStoreHost.EventuallyAsync(async () =>
            {
                var runs = await host.RunListAsync("shopify-prices");
                prices = runs.FirstOrDefault(r => r.GetProperty("incidentCount").GetInt32() > 0 && r.GetProperty("status").GetString() == "Finished");
                return runs.Count > priceRuns && prices.ValueKind == JsonValueKind.Object;
            }, "the price run reports the outlet");
            var detail = await host.GetJsonAsync($"/api/runs/{prices.GetProperty("id").GetGuid()}");
            Assert.Contains($"shopify:{Outlet}:prices", Assert.Single(detail.GetProperty("incidents").EnumerateArray()).GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.NotEqual("35.00", host.Outlet.State.Variant(sku)!.Price);
        }
        finally
        {
            host.Outlet.FailOperation("SetInventory", null);
            host.Outlet.FailOperation("ProductVariantsBulkUpdate", null);
        }

        // The store takes writes again: the next full upload brings it level with the ERP.
        await host.RunScheduleAsync("shopify-stock-push", "nightly");
        Assert.Equal(98, host.Outlet.State.Available(sku));
    }

    [Fact]
    public async Task A_product_made_again_in_the_store_behind_the_hosts_back_gets_its_stock_at_the_next_push()
    {
        const string sku = "VASE-BLUE";
        await Ok(host.PostAsync("/api/erp/items", new { company = "EG01", sku, name = "Blue vase", itemGroup = "PRODUCTS" }));
        var first = host.Shopify.State.AddProduct("Blue vase", sku)[0];
        await Ok(host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Receipt", postingDate = "2026-11-02", lines = new[] { new { sku, qty = 5, rate = 80, warehouse = "MAIN-WH" } },
        }));
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(5, host.Shopify.State.Available(sku));

        // Deleted in Shopify and made again: a new inventory item, while the host's SKU index still holds the old one.
        host.Shopify.State.DeleteProduct(first.ProductId);
        host.Shopify.State.AddProduct("Blue vase", sku);
        await Ok(host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Receipt", postingDate = "2026-11-02", lines = new[] { new { sku, qty = 2, rate = 80, warehouse = "MAIN-WH" } },
        }));
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");

        Assert.Equal(7, host.Shopify.State.Available(sku));
    }

    [Fact]
    public async Task A_template_held_variant_by_variant_becomes_a_draft_on_both_stores_once_every_variant_is_held()
    {
        // Stores that do not sync products follow the status of the product as a whole.
        await Ok(host.PostAsync("/api/erp/items", new { company = "EG01", sku = "SHAWL", name = "Wool shawl", itemGroup = "PRODUCTS", isTemplate = true, attributes = new { color = new[] { "Grey", "Sand" } } }));
        foreach (var color in new[] { "Grey", "Sand" })
        {
            await Ok(host.PostAsync("/api/erp/items", new { company = "EG01", sku = "SHAWL-" + color.ToUpperInvariant(), name = "Wool shawl " + color, itemGroup = "PRODUCTS", templateSku = "SHAWL", attributes = new { color } }));
        }

        var cairo = host.Shopify.State.AddProduct("Wool shawl", "SHAWL-GREY", "SHAWL-SAND")[0].ProductId;
        var outlet = host.Outlet.State.AddProduct("Wool shawl", "SHAWL-GREY", "SHAWL-SAND")[0].ProductId;

        await Ok(host.PostAsync("/api/erp/items/SHAWL-GREY/status?company=EG01", new { status = "On hold" }));
        await SettledAsync();
        Assert.Equal("ACTIVE", host.Shopify.State.ProductStatus(cairo));
        Assert.Equal("ACTIVE", host.Outlet.State.ProductStatus(outlet));

        await Ok(host.PostAsync("/api/erp/items/SHAWL-SAND/status?company=EG01", new { status = "On hold" }));
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.ProductStatus(cairo) == "DRAFT" && host.Outlet.State.ProductStatus(outlet) == "DRAFT",
            "the product is a draft on both stores");
        foreach (var store in new[] { Cairo, Outlet })
        {
            await ShopifyStoreHost.EventuallyAsync(
                async () => (await host.RunsAsync($"shopify:{store}:item:SHAWL-SAND")).Any(r => r.GetProperty("definitionId").GetString() == "shopify-item-sync-store"),
                $"the item run of {store} is saved");
        }
    }

    [Fact]
    public async Task A_customer_of_both_stores_gets_the_fields_the_erp_masters_in_each_store()
    {
        // The same buyer has an account in each store; one ERP customer is linked to both.
        var cairoId = host.Shopify.State.AddCustomer(new JsonObject { ["email"] = "laila@example.eg", ["first_name"] = "Laila" });
        var outletId = host.Outlet.State.AddCustomer(new JsonObject { ["email"] = "laila@example.eg", ["first_name"] = "Laila" });
        var (status, created) = await host.PostAsync("/api/erp/customers", new
        {
            company = "EG01", name = "Laila", email = "laila@example.eg",
            externalIds = new[] { new { source = "shopify", store = Cairo, id = $"gid://shopify/Customer/{cairoId}" } },
        });
        Assert.Equal(HttpStatusCode.Created, status);
        var erpId = created.GetProperty("id").GetString()!;
        await Ok(host.PostAsync($"/api/erp/customers/{erpId}/external-ids", new { company = "EG01", source = "shopify", store = Outlet, id = $"gid://shopify/Customer/{outletId}" }));

        using (var put = await host.Client.PutAsJsonAsync($"/api/erp/customers/{erpId}", new { company = "EG01", taxId = "EG-777-888-999", creditLimit = 9000m }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        // Before, the push read the settings of "the" store and faulted with two configured: neither store got them.
        await ShopifyStoreHost.EventuallyAsync(
            () => Metafield(host.Shopify, cairoId, "tax_id") == "EG-777-888-999" && Metafield(host.Outlet, outletId, "tax_id") == "EG-777-888-999",
            "the ERP's fields reach both stores");
        Assert.Equal("9000", Metafield(host.Shopify, cairoId, "credit_limit"));
        Assert.Equal("9000", Metafield(host.Outlet, outletId, "credit_limit"));
        foreach (var (store, id) in new[] { (Cairo, cairoId), (Outlet, outletId) })
        {
            JsonElement run = default;
            await ShopifyStoreHost.EventuallyAsync(async () =>
            {
                run = (await host.RunsAsync($"shopify:{store}:customer:{id}")).FirstOrDefault(r => r.GetProperty("definitionId").GetString() == "shopify-customer-push-store");
                return run.ValueKind == JsonValueKind.Object;
            }, $"the push run of {store} is saved");
            Assert.StartsWith("written ", run.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
        }
    }

    private static string? Metafield(Integration.Simulators.Shopify.ShopifySimulator store, long customerId, string key) =>
        (store.State.Customer(customerId)?["metafields"] as JsonArray ?? [])
            .OfType<JsonObject>().Where(m => (string?)m["key"] == key).Select(m => m["value"]?.ToString()).FirstOrDefault();

    private Task SettledAsync() => ShopifyStoreHost.EventuallyAsync(async () => await host.CountAsync("SELECT count(*) FROM integration.outbox WHERE status = 'pending'") == 0, "the ERP's events are dispatched");

    private static Task Ok(Task<(HttpStatusCode Status, JsonElement Body)> call) => StoreErpSetup.Ok(call);
}
