using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Integration.Simulators.Eta;
using Integration.Simulators.Shopify;
using Integration.Simulators.WooCommerce;

namespace Integration.Sandbox;

/// <summary>
/// The outside world of the sandbox, each on a free loopback port: a Shopify store, a WooCommerce store and the ETA
/// portal (WireMock simulators that behave as the real APIs), and the host settings that point the connectors at them.
/// </summary>
public sealed class SandboxStores : IDisposable
{
    public const string ShopDomain = "cairo-demo.myshopify.com";
    public const string ShopifyStore = "cairo-demo";
    public const string WooStore = "cairo-woo";

    /// <summary>The demo stores sell in Cairo: prices and promotions change at midnight there.</summary>
    public const string CairoTime = "Africa/Cairo";

    public const string ShopifyDevice = "SHOPIFY-POS-01";
    public const string WooDevice = "WOO-POS-01";
    public const string Rin = "100200300";

    // Secrets of simulated stores, made per run: nothing real, nothing to keep.
    private readonly string _shopifySecret = "shpss_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private readonly string _wooSecret = "wc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <param name="shopifyRestoreRate">
    /// GraphQL points per second the Shopify store restores, when not its plan's (Advanced, 200): the load benchmark raises
    /// it so the host, not the plan, is what it measures.
    /// </param>
    public SandboxStores(double? shopifyRestoreRate = null)
    {
        Shopify = new ShopifySimulator(new ShopifySimulatorOptions
        {
            ShopDomain = ShopDomain, ShopName = "Cairo Demo", AppSecret = _shopifySecret, Plan = ShopifyPlan.Advanced,
            RestoreRate = shopifyRestoreRate, BucketSize = shopifyRestoreRate * 20,
        });
        Woo = new WooCommerceSimulator(new WooCommerceSimulatorOptions { Currency = "EGP", SiteUrl = "https://cairo-woo.example", TimeZone = TimeZoneInfo.FindSystemTimeZoneById(CairoTime) });
        Eta = EtaPortalSimulator.Start();
        Eta.RegisterDevice(ShopifyDevice, "shopify-pos", "shopify-pos-secret", "shopify-pos-psk", "linux", "1");
        Eta.RegisterDevice(WooDevice, "woo-pos", "woo-pos-secret", "woo-pos-psk", "linux", "1");
    }

    public ShopifySimulator Shopify { get; }

    public WooCommerceSimulator Woo { get; }

    public EtaPortalSimulator Eta { get; }

    /// <summary>The Shopify location the ERP's online warehouse is.</summary>
    public long ShopifyLocationId => Shopify.State.Locations[0].Id;

    /// <summary>The products each store sells, one per ERP item with its SKU (prices and stock arrive from the ERP).</summary>
    public void StockShelves(IEnumerable<DemoItem> items)
    {
        foreach (var item in items)
        {
            Shopify.State.AddProduct(item.Name, item.Sku);
            Woo.State.PutProduct(new JsonObject
            {
                ["name"] = item.Name, ["sku"] = item.Sku, ["type"] = "simple", ["status"] = "publish",
                ["regular_price"] = "", ["manage_stock"] = true, ["stock_quantity"] = 0,
            });
        }
    }

    /// <summary>
    /// The Shopify store's <c>orders/updated</c> whenever an order changes in it after it was placed (the host writing
    /// the <c>eta.receipt</c> metafield), signed and sent as Shopify does: the host sees its own write come back, as it
    /// will in production, and its inbox marks those deliveries <c>superseded</c>.
    /// </summary>
    public void SendShopifyOrderUpdates(string hostUrl)
    {
        var url = $"{hostUrl.TrimEnd('/')}/webhooks/shopify";
        // Raised under the simulator's lock: hand the body on, do not wait. A refused echo is in Webhooks.Attempts.
        Shopify.OrderUpdated += body => _ = Task.Run(() => Shopify.Webhooks.SendAsync("orders/updated", body, url));
    }

    /// <summary>The WooCommerce store's order webhooks, as the merchant (or <c>woocommerce connect</c>) registers them.</summary>
    public void SubscribeWooWebhooks(string hostUrl)
    {
        foreach (var topic in new[] { "order.created", "order.updated" })
        {
            Woo.State.AddWebhook(topic, $"{hostUrl.TrimEnd('/')}/webhooks/woocommerce/{WooStore}", _wooSecret);
        }
    }

    /// <summary>The host's configuration (as environment variables) for these stores, the portal and the demo company.</summary>
    public IEnumerable<KeyValuePair<string, string>> HostSettings()
    {
        var location = ShopifyLocationId.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>
        {
            ["Connectors:Shopify:Stores:0:ShopDomain"] = ShopDomain,
            ["Connectors:Shopify:Stores:0:Name"] = ShopifyStore,
            ["Connectors:Shopify:Stores:0:AppSecret"] = _shopifySecret,
            ["Connectors:Shopify:Stores:0:AdminUrl"] = Shopify.AdminUrl,
            ["Connectors:Shopify:Stores:0:AccessToken"] = Shopify.Options.AccessToken,
            ["Connectors:Shopify:Stores:0:GuestCustomer"] = DemoCatalogue.GuestCustomer,
            ["Connectors:Shopify:Stores:0:Warehouse"] = DemoCatalogue.Warehouse,
            ["Connectors:Shopify:Stores:0:CostCenter"] = "WEB-SHOPIFY",
            ["Connectors:Shopify:Stores:0:PriceList"] = DemoCatalogue.PriceList,
            ["Connectors:Shopify:Stores:0:TimeZone"] = CairoTime,
            ["Connectors:Shopify:Stores:0:Locations:0:LocationId"] = location,
            ["Connectors:Shopify:Stores:0:Locations:0:Warehouse"] = DemoCatalogue.Warehouse,
            ["Connectors:Shopify:Stores:0:PaymentAccounts:shopify_payments"] = "1130",
            ["Connectors:Shopify:Stores:0:PaymentAccounts:Cash on Delivery (COD)"] = "1140",
            ["Connectors:WooCommerce:Stores:0:Name"] = WooStore,
            ["Connectors:WooCommerce:Stores:0:BaseUrl"] = Woo.BaseUrl,
            ["Connectors:WooCommerce:Stores:0:ConsumerKey"] = Woo.Options.ConsumerKey,
            ["Connectors:WooCommerce:Stores:0:ConsumerSecret"] = Woo.Options.ConsumerSecret,
            ["Connectors:WooCommerce:Stores:0:WebhookSecret"] = _wooSecret,
            ["Connectors:WooCommerce:Stores:0:GuestCustomer"] = DemoCatalogue.GuestCustomer,
            ["Connectors:WooCommerce:Stores:0:Warehouse"] = DemoCatalogue.Warehouse,
            ["Connectors:WooCommerce:Stores:0:CostCenter"] = "WEB-WOO",
            ["Connectors:WooCommerce:Stores:0:PriceList"] = DemoCatalogue.PriceList,
            ["Connectors:WooCommerce:Stores:0:TimeZone"] = CairoTime,
            ["Connectors:WooCommerce:Stores:0:RequestsPerSecond"] = "50",
            ["Connectors:WooCommerce:Stores:0:PaymentAccounts:paymob"] = "1130",
            ["Connectors:WooCommerce:Stores:0:PaymentAccounts:cod"] = "1140",
            ["Connectors:Eta:IdentityUrl"] = Eta.Url,
            ["Connectors:Eta:ApiUrl"] = Eta.Url,
            ["Connectors:Eta:PortalUrl"] = "https://preprod.invoicing.eta.gov.eg",
            ["Connectors:Eta:RetryDelay"] = "00:00:02",
        };
        var devices = new[] { (ShopifyDevice, "shopify-pos", "shopify/" + ShopifyStore), (WooDevice, "woo-pos", "woocommerce/" + WooStore) };
        for (var i = 0; i < devices.Length; i++)
        {
            var (serial, client, store) = devices[i];
            settings[$"Connectors:Eta:Devices:{i}:Serial"] = serial;
            settings[$"Connectors:Eta:Devices:{i}:ClientId"] = client;
            settings[$"Connectors:Eta:Devices:{i}:ClientSecret"] = client + "-secret";
            settings[$"Connectors:Eta:Devices:{i}:PresharedKey"] = client + "-psk";
            settings[$"Connectors:Eta:Sellers:{i}:Store"] = store;
            settings[$"Connectors:Eta:Sellers:{i}:Device"] = serial;
            settings[$"Connectors:Eta:Sellers:{i}:Rin"] = Rin;
            settings[$"Connectors:Eta:Sellers:{i}:CompanyTradeName"] = "Cairo Demo Retail";
            settings[$"Connectors:Eta:Sellers:{i}:BranchAddress:Governate"] = "Cairo";
            settings[$"Connectors:Eta:Sellers:{i}:BranchAddress:RegionCity"] = "Nasr City";
            settings[$"Connectors:Eta:Sellers:{i}:BranchAddress:Street"] = "12 Makram Ebeid";
            settings[$"Connectors:Eta:Sellers:{i}:BranchAddress:BuildingNumber"] = "12";
            settings[$"Connectors:Eta:Sellers:{i}:ActivityCode"] = "4791";
        }

        return settings;
    }

    public void Dispose()
    {
        Shopify.Dispose();
        Woo.Dispose();
        Eta.Dispose();
    }
}
