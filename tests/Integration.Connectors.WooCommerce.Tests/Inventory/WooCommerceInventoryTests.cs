using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Inventory;
using Integration.Mappings.KeyMaps;
using Integration.Simulators.WooCommerce;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Tests.Inventory;

public sealed class WooCommerceInventoryTests : IDisposable
{
    private readonly WooCommerceSimulator _store = new();

    private ServiceProvider Services(string refresh = "00:10:00") =>
        WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["SkuIndexRefresh"] = refresh, ["Stores:0:Warehouse"] = "CAIRO-WH" });

    [Fact]
    public async Task Products_and_variations_get_the_erp_quantity_and_every_line_not_set_says_why()
    {
        var mug = _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG", ["manage_stock"] = false });
        var shirt = _store.State.PutProduct(new JsonObject { ["name"] = "Shirt", ["sku"] = "SHIRT", ["type"] = "variable" });
        var medium = _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "SHIRT-M" });
        _store.State.PutProduct(new JsonObject { ["name"] = "Locked", ["sku"] = "LOCKED" });
        _store.State.RefuseSku("LOCKED", "woocommerce_rest_product_not_editable", "Locked by a plugin.");
        using var services = Services();

        var push = await services.GetRequiredService<WooCommerceInventory>().SetStockAsync(WooCommerceRuntime.Store,
        [
            new StockLine("MUG", "CAIRO-WH", 12.7m),
            new StockLine("SHIRT-M", null, -3m),
            new StockLine("LOCKED", "CAIRO-WH", 4m),
            new StockLine("GHOST", "CAIRO-WH", 1m),
            new StockLine("MUG", "ALEX-WH", 40m),
        ]);

        Assert.Equal(2, push.Set);
        Assert.Equal(12m, (decimal)_store.State.Product(mug)!["stock_quantity"]!); // fractions are never promised
        Assert.Equal("instock", (string?)_store.State.Product(mug)!["stock_status"]);
        var variation = _store.State.Variations(shirt).Single(v => (long)v["id"]! == medium);
        Assert.Equal(0m, (decimal)variation["stock_quantity"]!); // never below zero
        Assert.Equal("outofstock", (string?)variation["stock_status"]);
        Assert.Equal(3, push.Skipped.Count);
        Assert.Contains(push.Skipped, s => s.Sku == "LOCKED" && s.Reason.Contains("woocommerce_rest_product_not_editable", StringComparison.Ordinal));
        Assert.Contains(push.Skipped, s => s.Sku == "GHOST" && s.Reason.Contains("no product or variation", StringComparison.Ordinal));
        Assert.Contains(push.Skipped, s => s.Warehouse == "ALEX-WH" && s.Reason.Contains("not the store's (CAIRO-WH)", StringComparison.Ordinal));
        Assert.Equal(2, push.Requests); // products/batch and the shirt's variations/batch
    }

    [Fact]
    public async Task Variations_without_a_sku_of_their_own_show_the_parents_and_leave_its_stock_on_the_parent()
    {
        // Stock managed on the parent, SKU only on the parent: WooCommerce lists each variation with the parent's SKU.
        var tee = _store.State.PutProduct(new JsonObject { ["name"] = "Tee", ["sku"] = "TEE", ["type"] = "variable", ["manage_stock"] = true, ["stock_quantity"] = 3 });
        var small = _store.State.PutVariation(tee, new JsonObject { ["sku"] = "", ["manage_stock"] = "parent" });
        var large = _store.State.PutVariation(tee, new JsonObject { ["sku"] = "", ["manage_stock"] = "parent" });
        using var services = Services();

        var push = await services.GetRequiredService<WooCommerceInventory>().SetStockAsync(WooCommerceRuntime.Store, [new StockLine("TEE", null, 9m)]);

        Assert.Equal(1, push.Set);
        Assert.Equal(9m, (decimal)_store.State.Product(tee)!["stock_quantity"]!);
        Assert.All(_store.State.Variations(tee).Where(v => (long)v["id"]! == small || (long)v["id"]! == large), v => Assert.Equal("parent", (string?)v["manage_stock"]));
        Assert.DoesNotContain(_store.Requests, r => r.Path.EndsWith("/variations/batch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_catalogue_is_read_once_and_an_unknown_sku_reads_it_again_at_most_once_a_period()
    {
        _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG" });
        using var services = Services();
        var inventory = services.GetRequiredService<WooCommerceInventory>();

        await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("MUG", null, 1)]);
        await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("MUG", null, 2)]);
        var unknown = await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("NEW", null, 5)]);

        // The first push read the catalogue; the unknown SKU came within the refresh period, so no second read.
        Assert.Equal(1, _store.Requests.Count(r => r.Path == "products" && r.Method == "GET"));
        Assert.Single(unknown.Skipped);
    }

    [Fact]
    public async Task A_sku_another_host_created_is_found_within_the_refresh_period_once_its_product_is_linked()
    {
        _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG" });
        var keyMap = new InMemoryKeyMap();
        using var services = WooCommerceRuntime.For(_store, new Dictionary<string, string?> { ["SkuIndexRefresh"] = "00:10:00" }, s => s.AddSingleton<IKeyMap>(keyMap));
        var inventory = services.GetRequiredService<WooCommerceInventory>();
        await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("MUG", null, 1)]);

        // Another host's product sync creates a cap in the store and links it in the shared key map.
        var cap = _store.State.PutProduct(new JsonObject { ["name"] = "Cap", ["sku"] = "CAP" });
        await keyMap.LinkAsync(new KeyLink("woocommerce", "product", WooCommerceRuntime.Store, cap.ToString(CultureInfo.InvariantCulture), "CAP"));
        var push = await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("CAP", null, 7)]);

        Assert.Equal(1, push.Set);
        Assert.Equal(7m, (decimal)_store.State.Product(cap)!["stock_quantity"]!);
        Assert.Equal(2, _store.Requests.Count(r => r.Path == "products" && r.Method == "GET"));

        // Nothing linked since: a SKU the store does not have reads nothing more within the period.
        Assert.Single((await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("NOPE", null, 1)])).Skipped);
        Assert.Equal(2, _store.Requests.Count(r => r.Path == "products" && r.Method == "GET"));
    }

    [Fact]
    public async Task A_sku_added_in_the_store_is_found_once_the_refresh_period_has_passed()
    {
        _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG" });
        using var services = Services(refresh: "00:00:00");
        var inventory = services.GetRequiredService<WooCommerceInventory>();
        await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("MUG", null, 1)]);

        var cap = _store.State.PutProduct(new JsonObject { ["name"] = "Cap", ["sku"] = "CAP" });
        var push = await inventory.SetStockAsync(WooCommerceRuntime.Store, [new StockLine("CAP", null, 7)]);

        Assert.Equal(1, push.Set);
        Assert.Equal(7m, (decimal)_store.State.Product(cap)!["stock_quantity"]!);
    }

    [Fact]
    public async Task A_compared_push_reads_what_the_store_shows_and_sets_only_what_differs_reporting_each_difference_as_drift()
    {
        _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG", ["manage_stock"] = true, ["stock_quantity"] = 5 });
        var cap = _store.State.PutProduct(new JsonObject { ["name"] = "Cap", ["sku"] = "CAP", ["manage_stock"] = true, ["stock_quantity"] = 9 });
        var hat = _store.State.PutProduct(new JsonObject { ["name"] = "Hat", ["sku"] = "HAT", ["manage_stock"] = false, ["stock_quantity"] = null });
        var shirt = _store.State.PutProduct(new JsonObject { ["name"] = "Shirt", ["sku"] = "SHIRT", ["type"] = "variable" });
        var medium = _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "SHIRT-M", ["manage_stock"] = "parent", ["stock_quantity"] = 2 });
        _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "SHIRT-L", ["manage_stock"] = true, ["stock_quantity"] = 3 });
        using var services = Services();
        var inventory = services.GetRequiredService<WooCommerceInventory>();
        StockLine[] erp = [new("MUG", null, 5.4m), new("CAP", null, 4m), new("HAT", null, 1m), new("SHIRT-M", null, 2m), new("SHIRT-L", null, 3m)];
        var before = _store.Requests.Count;

        var push = await inventory.SetStockAsync(WooCommerceRuntime.Store, erp, compare: true);

        // Equal: MUG (5.4 is promised as 5) and SHIRT-L. Otherwise: CAP showed more than the ERP promises; HAT and the
        // medium shirt (stock managed by its parent) showed no managed stock of their own.
        Assert.Equal((3, 2, 2, 2), (push.Set, push.Unchanged, push.Requests, push.Reads));
        Assert.Equal(
            [new StockDrift("CAP", "CAIRO-WH", 9, 4), new StockDrift("HAT", "CAIRO-WH", null, 1), new StockDrift("SHIRT-M", "CAIRO-WH", null, 2)],
            push.Drift.OrderBy(d => d.Sku, StringComparer.Ordinal));
        Assert.Equal((4m, 1m), ((decimal)_store.State.Product(cap)!["stock_quantity"]!, (decimal)_store.State.Product(hat)!["stock_quantity"]!));
        var variation = _store.State.Variations(shirt).Single(v => (long)v["id"]! == medium);
        Assert.Equal((true, 2m), ((bool)variation["manage_stock"]!, (decimal)variation["stock_quantity"]!));
        var sent = _store.Requests.Skip(before).ToList();
        var products = Assert.Single(sent, r => r.Path == "products/batch");
        Assert.Equal(2, JsonNode.Parse(products.Body!)!["update"]!.AsArray().Count);
        Assert.Single(JsonNode.Parse(Assert.Single(sent, r => r.Path.EndsWith("/variations/batch", StringComparison.Ordinal)).Body!)!["update"]!.AsArray());
        Assert.All(sent.Where(r => r.Method == "GET" && r.Query?.Contains("include", StringComparison.Ordinal) == true), r => Assert.Contains("_fields", r.Query!, StringComparison.Ordinal));

        // The same upload again: the store shows the ERP's quantities, nothing is written.
        var again = await inventory.SetStockAsync(WooCommerceRuntime.Store, erp, compare: true);
        Assert.Equal((0, 5, 0), (again.Set, again.Unchanged, again.Requests));
        Assert.Empty(again.Drift);
    }

    public void Dispose() => _store.Dispose();
}
