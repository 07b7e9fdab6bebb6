using System.Globalization;
using static Integration.EndToEnd.Tests.StoreErpSetup;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A store priced from an ERP price list never shows a product or variant before it has a price: Shopify would create
/// it at 0.00, on sale at once. Its first price on the list writes it.
/// </summary>
public sealed class ErpPricedItemsToShopifyTests(ShopifyPricedProductHost host) : IClassFixture<ShopifyPricedProductHost>
{
    [Fact]
    public async Task A_product_and_a_new_variant_reach_the_store_with_their_first_price_never_at_zero()
    {
        await host.ItemAsync(new { company = "EG01", sku = "VASE", name = "Glass vase", isTemplate = true, attributes = new { colour = new[] { "Blue", "Green" } } });
        await host.ItemAsync(new { company = "EG01", sku = "VASE-BLU", name = "Glass vase blue", templateSku = "VASE", attributes = new { colour = "Blue" } });
        await host.ItemAsync(new { company = "EG01", sku = "VASE-GRN", name = "Glass vase green", templateSku = "VASE", attributes = new { colour = "Green" } });
        await host.SettledAsync();

        Assert.Null(host.Shopify.State.Variant("VASE-BLU"));
        Assert.Null(host.Shopify.State.Variant("VASE-GRN"));

        await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyPricedProductHost.PriceList}/prices", new { company = "EG01", sku = "VASE-BLU", rate = 250m }));
        await host.SettledAsync();

        var product = host.ProductOf("VASE-BLU");
        Assert.Equal("ACTIVE", product.Status);
        Assert.Equal(["VASE-BLU"], product.Variants.Select(v => v.Sku));
        Assert.Equal(["Blue"], product.Options[0].Values);
        Assert.Equal(250m, decimal.Parse(host.Shopify.State.Variant("VASE-BLU")!.Price, CultureInfo.InvariantCulture));
        Assert.Null(host.Shopify.State.Variant("VASE-GRN"));

        await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyPricedProductHost.PriceList}/prices", new { company = "EG01", sku = "VASE-GRN", rate = 260m }));
        await host.SettledAsync();

        Assert.Equal(["VASE-BLU", "VASE-GRN"], host.ProductOf("VASE-BLU").Variants.Select(v => v.Sku));
        Assert.Equal(260m, decimal.Parse(host.Shopify.State.Variant("VASE-GRN")!.Price, CultureInfo.InvariantCulture));
        Assert.Single(host.Shopify.State.Products, p => p.Title == "Glass vase");
    }

    [Fact]
    public async Task A_price_changed_while_the_product_is_being_created_reaches_the_store_at_once()
    {
        await host.ItemAsync(new { company = "EG01", sku = "BOWL-RACE", name = "Serving bowl", itemGroup = "PRODUCTS" });
        await host.SettledAsync();
        // While the product is written with its first price, the price is changed: that change's push finds no variant
        // in the store yet (the write is not done), and passes over it.
        host.Shopify.BeforeNextProductSet = async () =>
        {
            await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyPricedProductHost.PriceList}/prices", new { company = "EG01", sku = "BOWL-RACE", rate = 275m }));
            await host.SettledAsync();
        };

        await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyPricedProductHost.PriceList}/prices", new { company = "EG01", sku = "BOWL-RACE", rate = 250m }));

        await ShopifyStoreHost.EventuallyAsync(() => Task.FromResult(host.Shopify.State.Variant("BOWL-RACE") is { } v
            && decimal.Parse(v.Price, CultureInfo.InvariantCulture) == 275m), "the store shows the price changed during the product's creation", seconds: 30);
        Assert.Null(host.Shopify.BeforeNextProductSet);
    }

    [Fact]
    public async Task An_item_whose_first_price_starts_on_a_later_day_reaches_the_store_that_day()
    {
        await host.ItemAsync(new { company = "EG01", sku = "LAMP-LATER", name = "Reading lamp", itemGroup = "PRODUCTS" });
        await Ok(host.PostAsync($"/api/erp/price-lists/{ShopifyPricedProductHost.PriceList}/prices", new { company = "EG01", sku = "LAMP-LATER", rate = 300m, validFrom = host.Today.AddDays(1) }));
        await host.SettledAsync();

        // Its priced event found no price for today: nothing in the store yet, never at 0.00.
        Assert.Null(host.Shopify.State.Variant("LAMP-LATER"));

        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.RunScheduleAsync("shopify-prices", "every15Minutes");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Variant("LAMP-LATER")?.Price == "300.00", "the product made on its price's first day");
        await host.SettledAsync();

        Assert.Equal("ACTIVE", host.ProductOf("LAMP-LATER").Status);
        Assert.Single(host.Shopify.State.Products, p => p.Title == "Reading lamp");
    }
}
