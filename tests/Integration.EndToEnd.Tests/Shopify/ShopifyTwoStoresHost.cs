using System.Globalization;
using Integration.Simulators.Shopify;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// The host serving two Shopify stores from one ERP: cairo-fashion (<see cref="ShopifyStoreHost.Shopify"/>) and
/// alex-outlet (<see cref="Outlet"/>), each a simulator of its own selling the seeded items, each with its main
/// location mapped to MAIN-WH and the price list WEB, so the stock, price and item flows serve both.
/// </summary>
public sealed class ShopifyTwoStoresHost() : ShopifyStoreHost(ShopifyPlan.Advanced)
{
    public const string OutletDomain = "alex-outlet.myshopify.com";
    public const string OutletStore = "alex-outlet";
    public const string PriceList = "WEB";

    public static readonly string[] Skus = ["TSHIRT-BLU-M", "MUG-WHT", "CAP-BLK"];

    public ShopifySimulator Outlet { get; } = new(new ShopifySimulatorOptions { ShopDomain = OutletDomain, AppSecret = "shpss_outlet", AccessToken = "shpat_outlet", Plan = ShopifyPlan.Standard });

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Shopify:SkuIndexRefresh", "00:00:00"), // products are added to the simulators as the tests go
        new("Connectors:Shopify:Stores:0:PriceList", PriceList),
        new("Connectors:Shopify:Stores:0:Locations:0:LocationId", Shopify.State.Locations[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:Locations:0:Warehouse", "MAIN-WH"),
        new("Connectors:Shopify:Stores:1:ShopDomain", OutletDomain),
        new("Connectors:Shopify:Stores:1:Name", OutletStore),
        new("Connectors:Shopify:Stores:1:AppSecret", Outlet.Options.AppSecret),
        new("Connectors:Shopify:Stores:1:AdminUrl", Outlet.AdminUrl),
        new("Connectors:Shopify:Stores:1:AccessToken", Outlet.Options.AccessToken),
        new("Connectors:Shopify:Stores:1:GuestCustomer", GuestCustomer),
        new("Connectors:Shopify:Stores:1:PriceList", PriceList),
        new("Connectors:Shopify:Stores:1:Locations:0:LocationId", Outlet.State.Locations[0].Id.ToString(CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:1:Locations:0:Warehouse", "MAIN-WH"),
    ];

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        Shopify.State.AddProduct("Basics", Skus);
        Outlet.State.AddProduct("Basics (outlet)", Skus);
        await Ok(PostAsync("/api/erp/price-lists", new { company = "EG01", id = PriceList, name = "Web shops", currency = "EGP" }));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Outlet.Dispose();
    }
}
