using System.Text.Json;
using Integration.Simulators.Shopify;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// ERP items become Shopify products through shipped <c>shopify-item-sync</c>, against the simulator's productSet and
/// real PostgreSQL, driven through the ERP's HTTP API: templates with variants, options, images, groups as smart
/// collections, renames, holds, and events delivered twice.
/// </summary>
public sealed class ErpItemsToShopifyTests(ShopifyProductHost host) : IClassFixture<ShopifyProductHost>
{
    [Fact]
    public async Task A_template_with_three_variants_and_two_images_becomes_one_product_in_its_group_collection()
    {
        await host.PostAsync("/api/erp/item-groups", new { company = "EG01", id = "SHIRTS", name = "Shirts" });
        await host.ItemAsync(new { company = "EG01", sku = "POLO", name = "Nile polo", description = "Egyptian cotton & care", itemGroup = "SHIRTS", isTemplate = true,
            attributes = new { size = new[] { "S", "M", "L", "XL" }, color = new[] { "Navy", "White" } } });
        await host.PutAsync("/api/erp/items/POLO/images?company=EG01", new[] { ShopifyProductHost.Image("https://cdn.example.eg/polo-front.jpg", "Front"), ShopifyProductHost.Image("https://cdn.example.eg/polo-back.jpg", "Back") });
        foreach (var (sku, size, barcode) in new[] { ("POLO-S", "S", "6221000000011"), ("POLO-M", "M", "6221000000028"), ("POLO-L", "L", "6221000000035") })
        {
            await host.ItemAsync(new { company = "EG01", sku, name = "Nile polo " + size, itemGroup = "SHIRTS", templateSku = "POLO", attributes = new { size, color = "Navy" }, barcodes = new[] { barcode } });
        }

        await host.SettledAsync();

        var product = host.ProductOf("POLO-S");
        Assert.Single(host.Shopify.State.Products, p => p.Title == "Nile polo");
        Assert.Equal("Nile polo", product.Title);
        Assert.Equal("Egyptian cotton &amp; care", product.DescriptionHtml);
        Assert.Equal("Shirts", product.ProductType);
        Assert.Equal("DRAFT", product.Status); // the store prices its products (no PriceList): a draft until it does
        Assert.Equal(["POLO-S", "POLO-M", "POLO-L"], product.Variants.Select(v => v.Sku));
        // Options are the template's attributes with the values its variants use, in the template's order.
        Assert.Equal(["size", "color"], product.Options.Select(o => o.Name));
        Assert.Equal(["S", "M", "L"], product.Options[0].Values);
        Assert.Equal(["Navy"], product.Options[1].Values);
        Assert.Equal([("size", "M"), ("color", "Navy")], product.Variants[1].OptionValues);
        Assert.All(product.Variants, v => Assert.True(v.Tracked));
        Assert.Equal(["6221000000011", "6221000000028", "6221000000035"], product.Variants.Select(v => v.Barcode));
        Assert.Equal(["https://cdn.example.eg/polo-front.jpg", "https://cdn.example.eg/polo-back.jpg"], product.Media.Select(m => m.Source));
        Assert.Equal(["Front", "Back"], product.Media.Select(m => m.Alt));
        var collection = Assert.Single(host.Shopify.State.Collections, c => c.Title == "Shirts");
        Assert.Equal(new SimulatedRule("TYPE", "EQUALS", "Shirts"), Assert.Single(collection.Rules));
        Assert.Contains(product.Id, host.Shopify.State.CollectionProducts(collection.Id));

        // A second item of the group finds the collection made for the first: one collection per group.
        await host.ItemAsync(new { company = "EG01", sku = "SHIRT-PLAIN", name = "Plain shirt", itemGroup = "SHIRTS" });
        await host.SettledAsync();
        Assert.Single(host.Shopify.State.Collections, c => c.Title == "Shirts");
        Assert.Contains(host.ProductOf("SHIRT-PLAIN").Id, host.Shopify.State.CollectionProducts(collection.Id));
        var sync = await host.LastSyncAsync("POLO");
        Assert.Equal(product.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Output(sync, "productId").GetString()!.Split('/')[^1]);
    }

    [Fact]
    public async Task A_fourth_variant_keeps_the_ids_of_the_other_three_and_stock_reaches_all_four()
    {
        await host.ItemAsync(new { company = "EG01", sku = "CAP", name = "Desert cap", isTemplate = true, attributes = new { color = new[] { "Sand", "Olive", "Black" } } });
        foreach (var color in new[] { "Sand", "Olive", "Black" })
        {
            await host.ItemAsync(new { company = "EG01", sku = "CAP-" + color.ToUpperInvariant(), name = "Desert cap " + color, templateSku = "CAP", attributes = new { color } });
        }

        await host.SettledAsync();
        var before = host.ProductOf("CAP-SAND");
        Assert.Equal(3, before.Variants.Count);

        // A new color on the template, then its variant.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PatchAsync("/api/erp/items/CAP?company=EG01", new { attributes = new { color = new[] { "Sand", "Olive", "Black", "Red" } } })).Status);
        await host.ItemAsync(new { company = "EG01", sku = "CAP-RED", name = "Desert cap Red", templateSku = "CAP", attributes = new { color = "Red" } });
        await host.SettledAsync();

        var after = host.ProductOf("CAP-SAND");
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(["CAP-SAND", "CAP-OLIVE", "CAP-BLACK", "CAP-RED"], after.Variants.Select(v => v.Sku));
        Assert.Equal(before.Variants.Select(v => (v.VariantId, v.Id)), after.Variants.Take(3).Select(v => (v.VariantId, v.Id))); // variants and inventory items kept

        await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Receipt", postingDate = "2026-11-20",
            lines = new[] { new { sku = "CAP-SAND", qty = 7, rate = 30, warehouse = "MAIN-WH" }, new { sku = "CAP-RED", qty = 4, rate = 30, warehouse = "MAIN-WH" } },
        });
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Available("CAP-SAND") == 7 && host.Shopify.State.Available("CAP-RED") == 4, "the stock reaches the old and the new variant");
    }

    [Fact]
    public async Task Stock_received_while_the_product_is_being_created_reaches_the_store_at_once()
    {
        // Stock arrives while the product is written with the stock read before it (none). Its push, had it run in
        // between, would have found no such SKU in the store and passed over it; here no push runs at all (the minute
        // push is paused), so only the sync can bring the store the stock. Other products' syncs are done first: the
        // next productSet is this product's.
        await host.SettledAsync();
        var ran = false;
        host.Shopify.BeforeNextProductSet = async () =>
        {
            ran = true;
            await StoreErpSetup.Ok(host.PostAsync("/api/erp/stock-entries", new
            {
                company = "EG01", purpose = "Receipt", postingDate = "2026-11-20",
                lines = new[] { new { sku = "OIL-LAMP", qty = 7, rate = 120, warehouse = "MAIN-WH" } },
            }));
        };

        try
        {
            await host.ItemAsync(new { company = "EG01", sku = "OIL-LAMP", name = "Brass oil lamp" });
            await host.SettledAsync();
        }
        finally
        {
            host.Shopify.BeforeNextProductSet = null; // never left for another test's product
        }

        Assert.True(ran);
        var sync = await host.LastSyncAsync("OIL-LAMP");
        Assert.Equal(0, Output(sync, "quantitiesSet").GetInt32()); // created with no stock
        Assert.Equal(1, Step(sync, "restock").GetProperty("set").GetInt32()); // read again after the write, and pushed
        Assert.Equal(7, host.Shopify.State.Available("OIL-LAMP"));
    }

    [Fact]
    public async Task A_product_created_after_the_stock_push_passed_its_sku_starts_with_the_erps_stock()
    {
        // The store refuses products for a while: the item's stock arrives and the stock push runs before its product exists.
        host.Shopify.FailOperation("ProductSet", System.Net.HttpStatusCode.Forbidden);
        JsonElement failed = default;
        try
        {
            await host.ItemAsync(new { company = "EG01", sku = "KETTLE", name = "Copper kettle" });
            await host.PostAsync("/api/erp/stock-entries", new
            {
                company = "EG01", purpose = "Receipt", postingDate = "2026-11-20",
                lines = new[] { new { sku = "KETTLE", qty = 6, rate = 90, warehouse = "MAIN-WH" } },
            });
            await host.SettledAsync();
            failed = (await host.ProductRunsAsync("KETTLE"))[0];
            Assert.Equal("Faulted", failed.GetProperty("status").GetString());
            await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
            Assert.Null(host.Shopify.State.Variant("KETTLE")); // the push passed the SKU: the store has no such product yet
        }
        finally
        {
            host.Shopify.FailOperation("ProductSet", null);
        }

        var incident = failed.GetProperty("incidents").EnumerateArray().Last();
        var (status, body) = await host.PostAsync($"/api/incidents/{incident.GetProperty("id").GetInt64()}/retry", new { });
        Assert.True(status == System.Net.HttpStatusCode.OK, body.ToString());
        await host.SettledAsync();

        // Created with the ERP's available quantity at the location of its warehouse, with no stock change since.
        Assert.Equal(6, host.Shopify.State.Available("KETTLE"));
        Assert.Equal(1, Output(await host.LastSyncAsync("KETTLE"), "quantitiesSet").GetInt32());

        // Written again, the product's stock is left to the stock push (a variant's quantities are set only at its creation).
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PatchAsync("/api/erp/items/KETTLE?company=EG01", new { name = "Copper kettle, 1 l" })).Status);
        await host.SettledAsync();
        Assert.Equal("Copper kettle, 1 l", host.ProductOf("KETTLE").Title);
        Assert.Equal(0, Output(await host.LastSyncAsync("KETTLE"), "quantitiesSet").GetInt32());
        Assert.False(host.Shopify.LastVariables("ProductSet")!["input"]!["variants"]![0]!.AsObject().ContainsKey("inventoryQuantities"));
    }

    [Fact]
    public async Task An_item_the_erp_keeps_no_stock_of_is_not_tracked_in_shopify_so_it_is_never_shown_sold_out()
    {
        await host.ItemAsync(new { company = "EG01", sku = "ENGRAVING", name = "Engraving service", isStockItem = false });
        await host.ItemAsync(new { company = "EG01", sku = "LANTERN", name = "Brass lantern" });
        await host.SettledAsync();

        Assert.False(host.Shopify.State.Variant("ENGRAVING")!.Tracked);
        Assert.True(host.Shopify.State.Variant("LANTERN")!.Tracked); // a stock item the ERP has none of yet: tracked, at 0
        Assert.Equal(0, host.Shopify.State.Available("LANTERN"));
    }

    [Fact]
    public async Task Images_removed_or_reordered_in_the_erp_are_so_in_the_store_and_kept_ones_are_not_uploaded_again()
    {
        var (one, two, three) = (ShopifyProductHost.Image("https://cdn.example.eg/vase-1.jpg", "Side"), ShopifyProductHost.Image("https://cdn.example.eg/vase-2.jpg"), ShopifyProductHost.Image("https://cdn.example.eg/vase-3.jpg", "Top"));
        await host.ItemAsync(new { company = "EG01", sku = "VASE", name = "Fayoum vase" });
        await host.PutAsync("/api/erp/items/VASE/images?company=EG01", new[] { one, two, three });
        await host.SettledAsync();
        var before = host.ProductOf("VASE");
        Assert.Equal(["https://cdn.example.eg/vase-1.jpg", "https://cdn.example.eg/vase-2.jpg", "https://cdn.example.eg/vase-3.jpg"], before.Media.Select(m => m.Source));

        await host.PutAsync("/api/erp/items/VASE/images?company=EG01", new[] { three, one });
        await host.SettledAsync();

        var after = host.ProductOf("VASE");
        Assert.Equal(["https://cdn.example.eg/vase-3.jpg", "https://cdn.example.eg/vase-1.jpg"], after.Media.Select(m => m.Source));
        Assert.Equal([before.Media[2].Id, before.Media[0].Id], after.Media.Select(m => m.Id)); // the same media, not uploaded again
        Assert.Equal(["Top", "Side"], after.Media.Select(m => m.Alt));
        var sync = await host.LastSyncAsync("VASE");
        Assert.Equal(0, Output(sync, "imagesUploaded").GetInt32());
        Assert.Equal(1, Output(sync, "imagesDeleted").GetInt32());
    }

    [Fact]
    public async Task A_variants_own_image_follows_the_products_and_is_shown_for_that_variant()
    {
        await host.ItemAsync(new { company = "EG01", sku = "BAG", name = "Tote bag", isTemplate = true, attributes = new { color = new[] { "Red", "Blue" } } });
        await host.PutAsync("/api/erp/items/BAG/images?company=EG01", new[] { ShopifyProductHost.Image("https://cdn.example.eg/bag.jpg", "Bag") });
        await host.ItemAsync(new { company = "EG01", sku = "BAG-RED", name = "Tote bag red", templateSku = "BAG", attributes = new { color = "Red" } });
        await host.ItemAsync(new { company = "EG01", sku = "BAG-BLUE", name = "Tote bag blue", templateSku = "BAG", attributes = new { color = "Blue" } });
        await host.SettledAsync();
        var before = host.ProductOf("BAG-RED");

        // The variant's images change: its event names the template, whose product is written.
        await host.PutAsync("/api/erp/items/BAG-BLUE/images?company=EG01", new[] { ShopifyProductHost.Image("https://cdn.example.eg/bag-blue.jpg", "Blue bag") });
        await host.SettledAsync();

        var after = host.ProductOf("BAG-RED");
        Assert.Equal(["https://cdn.example.eg/bag.jpg", "https://cdn.example.eg/bag-blue.jpg"], after.Media.Select(m => m.Source));
        Assert.Equal(before.Media[0].Id, after.Media[0].Id);
        Assert.Equal(after.Media[1].Id, after.Variants.Single(v => v.Sku == "BAG-BLUE").MediaId);
        Assert.Null(after.Variants.Single(v => v.Sku == "BAG-RED").MediaId);
        Assert.Equal(1, Output(await host.LastSyncAsync("BAG"), "imagesUploaded").GetInt32());
    }

    [Fact]
    public async Task Renaming_an_item_changes_the_title_and_nothing_else()
    {
        await host.ItemAsync(new { company = "EG01", sku = "LAMP", name = "Brass lamp", description = "Khan el-Khalili brass", barcodes = new[] { "6229990000017" } });
        await host.PutAsync("/api/erp/items/LAMP/images?company=EG01", new[] { ShopifyProductHost.Image("https://cdn.example.eg/lamp.jpg", "Lamp") });
        await host.SettledAsync();
        var before = host.ProductOf("LAMP");

        var (status, _) = await host.PatchAsync("/api/erp/items/LAMP?company=EG01", new { name = "Brass lamp, large" });
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await host.SettledAsync();

        var after = host.ProductOf("LAMP");
        Assert.Equal("Brass lamp, large", after.Title);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(before.DescriptionHtml, after.DescriptionHtml);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.ProductType, after.ProductType);
        Assert.Equal(before.Variants.Select(v => (v.VariantId, v.Id, v.Sku, v.Barcode)), after.Variants.Select(v => (v.VariantId, v.Id, v.Sku, v.Barcode)));
        Assert.Equal(before.Media, after.Media);
        Assert.Equal("6229990000017", after.Variants[0].Barcode);
        Assert.Equal([("Title", "Default Title")], after.Variants[0].OptionValues); // a simple item is a product of one variant
    }

    [Fact]
    public async Task An_item_created_on_hold_arrives_as_a_draft_and_goes_live_when_made_active()
    {
        await host.ItemAsync(new { company = "EG01", sku = "RUG", name = "Siwa rug", status = "On hold" });
        await host.SettledAsync();
        Assert.Equal("DRAFT", host.ProductOf("RUG").Status);
        host.Shopify.State.EditPrice("RUG", "1450.00", null); // the merchant prices it in the store

        await host.PostAsync("/api/erp/items/RUG/status?company=EG01", new { status = "Active" });
        await host.SettledAsync();
        Assert.Equal("ACTIVE", host.ProductOf("RUG").Status);
    }

    [Fact]
    public async Task In_a_store_pricing_its_own_products_a_new_product_waits_as_a_draft_and_a_new_variant_takes_its_siblings_price()
    {
        // No PriceList: the ERP gives no price, and Shopify would sell what it creates at 0.00.
        await host.ItemAsync(new { company = "EG01", sku = "JUG", name = "Clay jug", isTemplate = true, attributes = new { size = new[] { "S", "M", "L" } } });
        foreach (var size in new[] { "S", "L" })
        {
            await host.ItemAsync(new { company = "EG01", sku = "JUG-" + size, name = "Clay jug " + size, templateSku = "JUG", attributes = new { size } });
        }

        await host.SettledAsync();
        Assert.Equal("DRAFT", host.ProductOf("JUG-S").Status);
        Assert.All(host.ProductOf("JUG-S").Variants, v => Assert.Equal("0.00", v.Price));
        var waiting = await host.LastSyncAsync("JUG");
        Assert.Equal("DRAFT", Output(waiting, "status").GetString());
        Assert.Equal(["JUG-S", "JUG-L"], Output(waiting, "atZero").EnumerateArray().Select(s => s.GetString()));

        // A change before the merchant prices it keeps it a draft.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PatchAsync("/api/erp/items/JUG?company=EG01", new { name = "Clay jug, glazed" })).Status);
        await host.SettledAsync();
        Assert.Equal("Clay jug, glazed", host.ProductOf("JUG-S").Title);
        Assert.Equal("DRAFT", host.ProductOf("JUG-S").Status);

        // Priced: the ERP's status (active) goes through with the next change.
        host.Shopify.State.EditPrice("JUG-S", "120.00", "150.00");
        host.Shopify.State.EditPrice("JUG-L", "180.00", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PatchAsync("/api/erp/items/JUG?company=EG01", new { name = "Clay jug" })).Status);
        await host.SettledAsync();
        Assert.Equal("ACTIVE", host.ProductOf("JUG-S").Status);

        // A new variant of a product on sale starts at the price of its first priced sibling, as in Shopify's admin.
        await host.ItemAsync(new { company = "EG01", sku = "JUG-M", name = "Clay jug M", templateSku = "JUG", attributes = new { size = "M" } });
        await host.SettledAsync();
        var product = host.ProductOf("JUG-M");
        Assert.Equal("ACTIVE", product.Status);
        Assert.Equal(("120.00", "150.00"), (product.Variants.Single(v => v.Sku == "JUG-M").Price, product.Variants.Single(v => v.Sku == "JUG-M").CompareAtPrice));
        Assert.Equal("180.00", product.Variants.Single(v => v.Sku == "JUG-L").Price); // the store's prices are left alone
        Assert.Equal("120.00", host.Shopify.State.Variant("JUG-S")!.Price);
        Assert.Empty(Output(await host.LastSyncAsync("JUG"), "atZero").EnumerateArray());
    }

    [Fact]
    public async Task A_product_with_a_variant_the_merchant_gives_away_goes_live_again_after_a_hold()
    {
        await host.ItemAsync(new { company = "EG01", sku = "SOAP", name = "Olive soap", isTemplate = true, attributes = new { size = new[] { "Bar", "Sample" } } });
        foreach (var size in new[] { "Bar", "Sample" })
        {
            await host.ItemAsync(new { company = "EG01", sku = "SOAP-" + size.ToUpperInvariant(), name = "Olive soap " + size, templateSku = "SOAP", attributes = new { size } });
        }

        await host.SettledAsync();
        host.Shopify.State.EditPrice("SOAP-BAR", "85.00", null); // the sample stays free, on purpose

        foreach (var (status, shown) in new[] { ("On hold", "DRAFT"), ("Active", "ACTIVE") })
        {
            await host.PostAsync("/api/erp/items/SOAP/status?company=EG01", new { status });
            await host.SettledAsync();
            Assert.Equal(shown, host.ProductOf("SOAP-BAR").Status);
        }

        Assert.Equal(["SOAP-SAMPLE"], Output(await host.LastSyncAsync("SOAP"), "atZero").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("0.00", host.Shopify.State.Variant("SOAP-SAMPLE")!.Price);
    }

    [Fact]
    public async Task A_template_becomes_a_draft_only_once_every_variant_is_on_hold()
    {
        await host.ItemAsync(new { company = "EG01", sku = "KAFTAN", name = "Cotton kaftan", isTemplate = true, attributes = new { color = new[] { "Red", "Blue" } } });
        foreach (var color in new[] { "Red", "Blue" })
        {
            await host.ItemAsync(new { company = "EG01", sku = "KAFTAN-" + color.ToUpperInvariant(), name = "Cotton kaftan " + color, templateSku = "KAFTAN", attributes = new { color } });
        }

        await host.SettledAsync();
        Assert.Equal("DRAFT", host.ProductOf("KAFTAN-RED").Status); // at 0.00 until the store prices it
        host.Shopify.State.EditPrice("KAFTAN-RED", "640.00", null);
        host.Shopify.State.EditPrice("KAFTAN-BLUE", "640.00", null);

        await host.PostAsync("/api/erp/items/KAFTAN-RED/status?company=EG01", new { status = "On hold" });
        await host.SettledAsync();
        Assert.Equal("ACTIVE", host.ProductOf("KAFTAN-RED").Status); // blue still sells

        await host.PostAsync("/api/erp/items/KAFTAN-BLUE/status?company=EG01", new { status = "On hold" });
        await host.SettledAsync();
        Assert.Equal("DRAFT", host.ProductOf("KAFTAN-RED").Status);

        await host.PostAsync("/api/erp/items/KAFTAN-BLUE/status?company=EG01", new { status = "Active" });
        await host.SettledAsync();
        Assert.Equal("ACTIVE", host.ProductOf("KAFTAN-RED").Status);
    }

    [Fact]
    public async Task A_smart_collection_deleted_by_hand_in_shopify_is_made_again_by_the_next_sync()
    {
        await host.PostAsync("/api/erp/item-groups", new { company = "EG01", id = "LAMPS", name = "Lamps" });
        await host.ItemAsync(new { company = "EG01", sku = "LAMP-BRASS", name = "Brass lamp", itemGroup = "LAMPS" });
        await host.SettledAsync();
        var first = Assert.Single(host.Shopify.State.Collections, c => c.Title == "Lamps");

        // Someone deletes it in the Shopify admin: the key map still names it.
        Assert.True(host.Shopify.State.DeleteCollection(first.Id));
        await host.PatchAsync("/api/erp/items/LAMP-BRASS?company=EG01", new { description = "Hand-beaten brass" });
        await host.SettledAsync();

        var again = Assert.Single(host.Shopify.State.Collections, c => c.Title == "Lamps");
        Assert.NotEqual(first.Id, again.Id);
        Assert.Contains(host.ProductOf("LAMP-BRASS").Id, host.Shopify.State.CollectionProducts(again.Id));
        var gid = "gid://shopify/Collection/" + again.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(gid, Output(await host.LastSyncAsync("LAMP-BRASS"), "collectionId").GetString());
        Assert.Equal(1, await host.CountAsync(
            "SELECT count(*) FROM integration.key_map WHERE system = 'shopify' AND entity = 'collection' AND erp_id = 'LAMPS' AND external_id = @gid", new { gid }));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_changes_nothing_the_second_time()
    {
        await host.ItemAsync(new { company = "EG01", sku = "TRAY", name = "Copper tray", isTemplate = true, attributes = new { size = new[] { "30cm", "45cm" } } });
        await host.ItemAsync(new { company = "EG01", sku = "TRAY-30", name = "Copper tray 30cm", templateSku = "TRAY", attributes = new { size = "30cm" } });
        await host.PutAsync("/api/erp/items/TRAY/images?company=EG01", new[] { ShopifyProductHost.Image("https://cdn.example.eg/tray.jpg") });
        await host.SettledAsync();
        var before = host.ProductOf("TRAY-30");
        var productSets = host.Shopify.Ran("ProductSet");

        // The images event again (a replay, a second host): a new outbox row with the same payload.
        await using (var connection = await host.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO integration.outbox (topic, company, entity_key, payload)
                SELECT topic, company, entity_key, payload FROM integration.outbox WHERE entity_key = 'TRAY' AND payload->>'change' = 'images' ORDER BY id DESC LIMIT 1
                """);
        }

        await host.SettledAsync();

        Assert.True(host.Shopify.Ran("ProductSet") > productSets, "the product was written again");
        var after = host.ProductOf("TRAY-30");
        Assert.Equal(before.Version, after.Version); // productSet with the same input changed nothing
        Assert.Equal(before.Media, after.Media);
        Assert.Equal(before.Variants.Select(v => v.VariantId), after.Variants.Select(v => v.VariantId));
        Assert.Single(host.Shopify.State.Products, p => p.Title == "Copper tray");
    }

    [Fact]
    public async Task A_variant_added_by_hand_in_shopify_is_deleted_by_the_next_sync_and_named_in_its_output()
    {
        await host.ItemAsync(new { company = "EG01", sku = "SCARF", name = "Silk scarf" });
        await host.SettledAsync();
        var product = host.ProductOf("SCARF");
        host.Shopify.State.AddVariant(product.Id, "HANDMADE-1", ("Title", "Handmade"));
        Assert.Equal(2, host.ProductOf("SCARF").Variants.Count);

        await host.PatchAsync("/api/erp/items/SCARF?company=EG01", new { description = "Pure silk" });
        await host.SettledAsync();

        Assert.Equal(["SCARF"], host.ProductOf("SCARF").Variants.Select(v => v.Sku));
        Assert.Null(host.Shopify.State.Variant("HANDMADE-1"));
        var sync = await host.LastSyncAsync("SCARF");
        Assert.Equal(["HANDMADE-1"], Output(sync, "deletedVariants").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_product_shopify_refuses_faults_the_run_with_the_user_error_and_changes_nothing()
    {
        await host.ItemAsync(new { company = "EG01", sku = "BOWL", name = "Clay bowl" });
        await host.SettledAsync();
        var before = host.ProductOf("BOWL");

        await host.PutAsync("/api/erp/items/BOWL/images?company=EG01", new[] { ShopifyProductHost.Image("ftp://files.example.eg/bowl.jpg") });
        await host.SettledAsync();

        var run = (await host.ProductRunsAsync("BOWL"))[0];
        Assert.Equal("Faulted", run.GetProperty("status").GetString());
        Assert.Contains("files.0.originalSource INVALID_INPUT", run.ToString(), StringComparison.Ordinal);
        Assert.Equal(before.Version, host.ProductOf("BOWL").Version);
    }

    [Fact]
    public async Task Five_quick_changes_of_a_product_and_its_variant_are_one_productSet_of_the_last_state()
    {
        await host.ItemAsync(new { company = "EG01", sku = "TEAPOT", name = "Teapot", isTemplate = true, attributes = new { size = new[] { "1L", "2L" } } });
        await host.ItemAsync(new { company = "EG01", sku = "TEAPOT-1L", name = "Teapot 1L", templateSku = "TEAPOT", attributes = new { size = "1L" } });
        await host.SettledAsync();
        var productSets = host.Shopify.Ran("ProductSet");
        var runsBefore = (await host.RunsAsync($"shopify:{ShopifyStoreHost.Store}:product:TEAPOT")).Count;

        // Someone edits the template three times and the variant's barcode twice, each save its own ERP event.
        foreach (var name in new[] { "Brass teapot", "Brass teapot, hand-made", "Aswan brass teapot" })
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PatchAsync("/api/erp/items/TEAPOT?company=EG01", new { name })).Status);
        }

        foreach (var barcode in new[] { "6221000000400", "6221000000417" })
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await host.PatchAsync("/api/erp/items/TEAPOT-1L?company=EG01", new { barcodes = new[] { barcode } })).Status);
        }

        await host.SettledAsync();

        Assert.Equal(productSets + 1, host.Shopify.Ran("ProductSet"));
        var product = host.ProductOf("TEAPOT-1L");
        Assert.Equal("Aswan brass teapot", product.Title);
        Assert.Equal("6221000000417", Assert.Single(product.Variants).Barcode);
        var runs = (await host.ProductRunsAsync("TEAPOT")).Take(5).ToList(); // the latest event's first
        Assert.Equal(runsBefore + 5, (await host.RunsAsync($"shopify:{ShopifyStoreHost.Store}:product:TEAPOT")).Count);
        Assert.All(runs, r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Equal(product.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Output(runs[0], "productId").GetString()!.Split('/')[^1]); // the last change's run wrote it
        Assert.All(runs.Skip(1), r => Assert.StartsWith("superseded by event ", r.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal));
    }

    private static JsonElement Output(JsonElement run, string name) => Step(run, "sync").GetProperty(name);

    private static JsonElement Step(JsonElement run, string activityId) =>
        run.GetProperty("journal").EnumerateArray().Last(j => j.GetProperty("activityId").GetString() == activityId).GetProperty("outputs");
}
