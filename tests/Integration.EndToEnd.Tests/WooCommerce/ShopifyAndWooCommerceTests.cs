using System.Globalization;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Simulators.Shopify;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>One ERP behind a Shopify store and a WooCommerce store at once, both selling the same three items from MAIN-WH.</summary>
public sealed class TwoStoreHost : WooCommerceStoreHost
{
    public const string ShopDomain = "cairo-fashion.myshopify.com";
    public const string ShopifyStore = "cairo-fashion";
    public const string ShopifySecret = "shpss_two";

    public ShopifySimulator Shopify { get; } = new(new ShopifySimulatorOptions { ShopDomain = ShopDomain, AppSecret = ShopifySecret, Plan = ShopifyPlan.Advanced });

    public static readonly string[] Skus = ["TSHIRT-BLU-M", "MUG-WHT", "CAP-BLK"];

    protected override bool Schedules => true;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain),
        new("Connectors:Shopify:Stores:0:Name", ShopifyStore),
        new("Connectors:Shopify:Stores:0:AppSecret", ShopifySecret),
        new("Connectors:Shopify:Stores:0:AdminUrl", Shopify.AdminUrl),
        new("Connectors:Shopify:Stores:0:AccessToken", Shopify.Options.AccessToken),
        new("Connectors:Shopify:Stores:0:GuestCustomer", GuestCustomer),
        new("Connectors:Shopify:Stores:0:Locations:0:LocationId", Shopify.State.Locations[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:0:Warehouse", "MAIN-WH"),
    ];

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        foreach (var schedule in (string[])["shopify-prices/every15Minutes", "shopify-prices/nightly", "shopify-stock-push/nightly"])
        {
            await PauseScheduleAsync(schedule); // as the WooCommerce ones are, and as ShopifyStoreHost does
        }

        Shopify.State.AddProduct("Shop basics", Skus);
        foreach (var sku in Skus)
        {
            Woo.State.PutProduct(new JsonObject { ["name"] = sku, ["sku"] = sku, ["type"] = "simple", ["manage_stock"] = false });
        }
    }

    public decimal? WooStock(string sku) => (decimal?)Woo.State.Products.Single(p => (string?)p["sku"] == sku)["stock_quantity"];

    /// <summary>Shopify sends a signed orders/create for the order; waits until the host has dealt with it.</summary>
    public async Task ShopifyOrderAsync(string body)
    {
        Shopify.State.AddOrder(body);
        var webhookId = (await Shopify.Webhooks.SendAsync("orders/create", body, "/webhooks/shopify", Client)).WebhookId;
        await ShopifyStoreHost.EventuallyAsync(async () => await CountAsync(
            "SELECT count(*) FROM integration.inbox WHERE source = 'shopify' AND webhook_id = @webhookId AND status IN ('done', 'superseded', 'failed', 'ignored')", new { webhookId }) == 1,
            "the Shopify order is processed");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Shopify.Dispose();
    }
}

/// <summary>Stock sold on one store is shown on the other: the ERP is the one truth both stores are pushed from.</summary>
public sealed class ShopifyAndWooCommerceTests(TwoStoreHost host) : IClassFixture<TwoStoreHost>
{
    [Fact]
    public async Task Stock_sold_on_one_store_is_reflected_on_the_other()
    {
        await host.RunScheduleAsync("shopify-stock-push", "nightly");
        await host.RunScheduleAsync("woocommerce-stock-push", "nightly");
        Assert.Equal(100, host.Shopify.State.Available("MUG-WHT"));
        Assert.Equal(100m, host.WooStock("MUG-WHT"));

        // Sold on WooCommerce: 2 T-shirts and a mug.
        Assert.Equal(["done"], await host.OrderEventAsync("order.created", new WooOrderPayload()));
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(98, host.Shopify.State.Available("TSHIRT-BLU-M"));
        Assert.Equal(99, host.Shopify.State.Available("MUG-WHT"));

        // Sold on Shopify: 2 T-shirts and a mug again.
        await host.ShopifyOrderAsync(new ShopifyOrderPayload().Json());
        await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");
        Assert.Equal(96m, host.WooStock("TSHIRT-BLU-M"));
        Assert.Equal(98m, host.WooStock("MUG-WHT"));
        Assert.Equal(100m, host.WooStock("CAP-BLK"));

        // And Shopify shows its own sale from the ERP too: both stores agree with the ERP.
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(96, host.Shopify.State.Available("TSHIRT-BLU-M"));
        Assert.Equal(98, host.Shopify.State.Available("MUG-WHT"));
    }
}
