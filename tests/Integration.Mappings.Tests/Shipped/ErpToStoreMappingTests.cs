using System.Text.Json.Nodes;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;

namespace Integration.Mappings.Tests.Shipped;

/// <summary>ERP items, prices and stock as the ERP API returns them, mapped to Shopify and WooCommerce.</summary>
public sealed class ErpToStoreMappingTests
{
    // GET /api/erp/items/TEE (a template) with its variants and images, as a flow assembles it.
    private const string Tee = """
        {
          "company": "EG01", "sku": "TEE", "name": "Nile cotton tee", "itemGroup": "T-shirts", "uom": "Nos", "description": "Egyptian cotton, 180 g/m2",
          "status": "Active", "isStockItem": true, "valuationMethod": "Moving Average", "isTemplate": true, "templateSku": null, "attributes": {}, "barcodes": [],
          "variants": [
            { "sku": "TEE-BLK-M", "name": "Nile cotton tee black M", "status": "Active", "attributes": { "color": "Black", "size": "M", "weightGrams": 182 }, "barcodes": ["6221234567890"] },
            { "sku": "TEE-WHT-L", "name": "Nile cotton tee white L", "status": "Active", "attributes": { "color": "White", "size": "L", "weightGrams": 195.5 }, "barcodes": [] }
          ],
          "images": [
            { "sku": "TEE", "position": 1, "url": "https://cdn.example.eg/tee-front.jpg", "checksum": "aa", "altText": "Front" },
            { "sku": "TEE", "position": 2, "url": "https://cdn.example.eg/tee-back.jpg", "checksum": "bb", "altText": null }
          ]
        }
        """;

    private static MappingContext Context(string store) => new()
    {
        Store = store,
        Values = new Dictionary<string, JsonNode?> { ["vendor"] = "Nile Textiles", ["currency"] = "EGP" },
    };

    [Fact]
    public async Task An_erp_template_item_becomes_a_shopify_product_with_variants_and_images()
    {
        var kit = MappingTestKit.Shipped();

        var result = await kit.Mapper.ApplyAsync("erp-item__shopify-product", "erp", MappingTestKit.Json(Tee), null, Context("shop.myshopify.com"));

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var product = result.Document;
        Assert.Equal("Nile cotton tee", (string?)product["title"]);
        Assert.Equal("Egyptian cotton, 180 g/m2", (string?)product["body_html"]);
        Assert.Equal("T-shirts", (string?)product["product_type"]);
        Assert.Equal("active", (string?)product["status"]);
        Assert.Equal("Nile Textiles", (string?)product["vendor"]);
        var variants = product["variants"]!.AsArray();
        Assert.Equal(2, variants.Count);
        Assert.Equal("TEE-BLK-M", (string?)variants[0]!["sku"]);
        Assert.Equal("Black", (string?)variants[0]!["option1"]);
        Assert.Equal("M", (string?)variants[0]!["option2"]);
        Assert.Equal("6221234567890", (string?)variants[0]!["barcode"]);
        Assert.Equal(0.182m, (decimal)variants[0]!["weight"]!);
        Assert.Equal("kg", (string?)variants[0]!["weight_unit"]);
        Assert.Equal("shopify", (string?)variants[0]!["inventory_management"]);
        Assert.Equal(0.196m, (decimal)variants[1]!["weight"]!); // 195.5 g, rounded half away from zero
        Assert.False(variants[1]!.AsObject().ContainsKey("barcode"));
        var images = product["images"]!.AsArray();
        Assert.Equal("https://cdn.example.eg/tee-front.jpg", (string?)images[0]!["src"]);
        Assert.Equal(1m, (decimal)images[0]!["position"]!);
        Assert.Equal("Front", (string?)images[0]!["alt"]);
    }

    [Fact]
    public async Task An_item_put_on_hold_becomes_a_draft_and_a_removed_variant_goes_while_store_fields_stay()
    {
        var kit = MappingTestKit.Shipped();
        var item = MappingTestKit.Json(Tee).AsObject();
        item["status"] = "On hold";
        item["variants"]!.AsArray().RemoveAt(1);
        var current = MappingTestKit.Json("""
            { "admin_graphql_api_id": "gid://shopify/Product/1", "title": "Nile cotton tee", "body_html": "Egyptian cotton, 180 g/m2", "product_type": "T-shirts",
              "status": "active", "vendor": "Nile Textiles", "handle": "nile-tee", "tags": "summer",
              "variants": [ { "id": 11, "sku": "TEE-BLK-M", "title": "Nile cotton tee black M", "option1": "Black", "option2": "M", "barcode": "6221234567890", "weight": 0.182,
                              "weight_unit": "kg", "inventory_management": "shopify", "inventory_policy": "deny", "price": "450.00" },
                            { "id": 12, "sku": "TEE-WHT-L", "title": "Nile cotton tee white L", "price": "450.00" } ],
              "images": [ { "id": 21, "src": "https://cdn.example.eg/tee-front.jpg", "position": 1, "alt": "Front" },
                          { "id": 22, "src": "https://cdn.example.eg/tee-back.jpg", "position": 2 } ] }
            """);

        var result = await kit.Mapper.ApplyAsync("erp-item__shopify-product", "erp", item, current, Context("shop.myshopify.com"));

        Assert.Equal("draft", (string?)result.Changes["status"]);
        Assert.Contains(result.Written, w => w.Field == "status");
        Assert.Contains(result.Written, w => w.Field == "variants[TEE-WHT-L].(removed)");
        var variant = Assert.Single(result.Document["variants"]!.AsArray())!;
        Assert.Equal(11, (int)variant["id"]!); // matched by SKU: the store's id and price are kept
        Assert.Equal("450.00", (string?)variant["price"]);
        Assert.Equal("nile-tee", (string?)result.Document["handle"]);
        Assert.Contains(result.Skipped, s => s.Field == "handle" && s.Reason == SkipReason.NotMaster);
        Assert.Contains(result.Skipped, s => s.Field == "title" && s.Reason == SkipReason.Unchanged);
        Assert.False(result.Changes.ContainsKey("title"));
        Assert.False(result.Changes.ContainsKey("images")); // unchanged images are not sent again
    }

    [Theory]
    [InlineData("""{ "sku": "TEE-BLK-M", "priceList": "Retail", "date": "2026-11-30", "basePrice": 450, "price": 382.5, "compareAtPrice": 450, "promotion": "BF26", "changesOn": "2026-12-03" }""", "382.50", "450.00", "BF26")]
    [InlineData("""{ "sku": "TEE-BLK-M", "priceList": "Retail", "date": "2026-12-03", "basePrice": 450, "price": 450, "compareAtPrice": null, "promotion": null, "changesOn": null }""", "450.00", null, null)]
    public async Task An_erp_effective_price_becomes_the_shopify_variant_price_with_compare_at(string effective, string price, string? compareAt, string? promotion)
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("shopify", "item", "shop.myshopify.com", "gid://shopify/ProductVariant/11", "TEE-BLK-M"));

        var result = await kit.Mapper.ApplyAsync("erp-item-price__shopify-variant", "erp", MappingTestKit.Json(effective), null, Context("shop.myshopify.com"));

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        Assert.Equal("gid://shopify/ProductVariant/11", (string?)result.Document["id"]);
        Assert.Equal(price, (string?)result.Document["price"]);
        Assert.True(result.Document.AsObject().ContainsKey("compare_at_price")); // null clears it after a promotion
        Assert.Equal(compareAt, (string?)result.Document["compare_at_price"]);
        Assert.Equal(promotion, (string?)result.Document["metafields"]!.AsArray().Single(m => (string?)m!["key"] == "promotion")!["value"]);
    }

    [Fact]
    public async Task An_erp_promotion_becomes_a_woocommerce_sale_price_until_it_ends()
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("woocommerce", "item", "woo.example.eg", "93", "TEE-BLK-M"));
        var effective = MappingTestKit.Json("""{ "sku": "TEE-BLK-M", "priceList": "Retail", "date": "2026-11-30", "basePrice": 450, "price": 382.5, "compareAtPrice": 450, "promotion": "BF26", "changesOn": "2026-12-03" }""");

        var result = await kit.Mapper.ApplyAsync("erp-item-price__woocommerce-product", "erp", effective, null, Context("woo.example.eg"));

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        Assert.Equal("93", (string?)result.Document["id"]);
        Assert.Equal("450.00", (string?)result.Document["regular_price"]);
        Assert.Equal("382.50", (string?)result.Document["sale_price"]);
        Assert.Equal("2026-12-03T00:00:00", (string?)result.Document["date_on_sale_to_gmt"]);
    }

    [Theory]
    [InlineData(12.0, 12, "instock")]
    [InlineData(3.75, 3, "instock")]
    [InlineData(0.5, 0, "outofstock")]
    [InlineData(-2, -2, "outofstock")]
    public async Task Erp_available_to_promise_becomes_store_stock_rounded_down(decimal atp, int shopifyAvailable, string wooStatus)
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("shopify", "inventoryItem", "shop.myshopify.com", "808950810", "TEE-BLK-M"));
        await kit.KeyMap.LinkAsync(new KeyLink("shopify", "warehouse", "shop.myshopify.com", "655441491", "Cairo"));
        await kit.KeyMap.LinkAsync(new KeyLink("woocommerce", "item", "woo.example.eg", "93", "TEE-BLK-M"));
        var balance = new JsonObject
        {
            ["sku"] = "TEE-BLK-M",
            ["warehouse"] = "Cairo",
            ["actualQty"] = 20,
            ["reservedQty"] = 8,
            ["orderedQty"] = 0,
            ["projectedQty"] = 12,
            ["availableToPromise"] = atp,
            ["valuationRate"] = 120.5m,
            ["stockValue"] = 2410m,
        };

        var shopify = await kit.Mapper.ApplyAsync("erp-stock__shopify-inventory", "erp", balance, null, Context("shop.myshopify.com"));
        var woo = await kit.Mapper.ApplyAsync("erp-stock__woocommerce-product", "erp", balance, null, Context("woo.example.eg"));

        Assert.True(shopify.Succeeded && woo.Succeeded);
        Assert.Equal("808950810", (string?)shopify.Document["inventory_item_id"]);
        Assert.Equal("655441491", (string?)shopify.Document["location_id"]);
        Assert.Equal(Math.Max(0, shopifyAvailable), (decimal)shopify.Document["available"]!);
        Assert.Equal("93", (string?)woo.Document["id"]);
        Assert.True((bool)woo.Document["manage_stock"]!);
        Assert.Equal(shopifyAvailable, (decimal)woo.Document["stock_quantity"]!);
        Assert.Equal(wooStatus, (string?)woo.Document["stock_status"]);
    }

    [Fact]
    public async Task Stock_for_an_item_the_key_map_does_not_know_fails_with_the_reason()
    {
        var kit = MappingTestKit.Shipped();
        var balance = MappingTestKit.Json("""{ "sku": "NEW-ITEM", "warehouse": "Cairo", "availableToPromise": 4 }""");

        var result = await kit.Mapper.ApplyAsync("erp-stock__shopify-inventory", "erp", balance, null, Context("shop.myshopify.com"));

        Assert.False(result.Succeeded);
        Assert.Contains(result.Failed, f => f.Field == "inventoryItem" && f.Reason.Contains("no inventoryItem 'NEW-ITEM'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_erp_item_becomes_a_woocommerce_product_in_its_category()
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("woocommerce", "itemGroup", "woo.example.eg", "17", "T-shirts"));

        var result = await kit.Mapper.ApplyAsync("erp-item__woocommerce-product", "erp", MappingTestKit.Json(Tee), null, Context("woo.example.eg"));

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var product = result.Document;
        Assert.Equal("Nile cotton tee", (string?)product["name"]);
        Assert.Equal("TEE", (string?)product["sku"]);
        Assert.Equal("variable", (string?)product["type"]);
        Assert.Equal("publish", (string?)product["status"]);
        Assert.Equal("17", (string?)product["categories"]![0]!["id"]);
        Assert.True((bool)product["manage_stock"]!);
        Assert.Equal(2, product["images"]!.AsArray().Count);
    }
}
