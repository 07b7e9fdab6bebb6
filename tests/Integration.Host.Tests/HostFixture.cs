using Integration.Testing;

namespace Integration.Host.Tests;

/// <summary>The real host with two Shopify stores and two WooCommerce stores configured.</summary>
public class HostFixture : TestHost
{
    public const string ShopDomain = "retail-eg.myshopify.com";
    public const string ShopSecret = "hush";
    public const string RotatedShopDomain = "rotating.myshopify.com";
    public const string RotatedShopSecret = "new-secret";
    public const string RotatedShopOldSecret = "old-secret";
    public const string WooStore = "cairo";
    public const string WooSecret = "hush";
    public const string WooOldSecret = "hush-before-rotation";
    public const string WooEntityStore = "alex";
    // WordPress decodes &amp; (and the other four of ENT_QUOTES), not &copy;.
    public const string WooEntitySecretAsStored = "s3cr&amp;t&copy;";
    public const string WooEntitySecretAsSigned = "s3cr&t&copy;";
    public const int MaxBodyBytes = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        // Intake tests look at deliveries as stored; the dispatcher would move them on. Flow tests turn it back on.
        new("Flows:DispatchInbox", "false"),
        new("Webhooks:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain),
        new("Connectors:Shopify:Stores:0:AppSecret", ShopSecret),
        new("Connectors:Shopify:Stores:1:ShopDomain", RotatedShopDomain),
        new("Connectors:Shopify:Stores:1:AppSecret", RotatedShopSecret),
        new("Connectors:Shopify:Stores:1:PreviousAppSecrets:0", RotatedShopOldSecret),
        new("Connectors:WooCommerce:Stores:0:Name", WooStore),
        new("Connectors:WooCommerce:Stores:0:BaseUrl", "https://cairo.example.com"),
        new("Connectors:WooCommerce:Stores:0:WebhookSecret", WooSecret),
        new("Connectors:WooCommerce:Stores:0:PreviousWebhookSecrets:0", WooOldSecret),
        new("Connectors:WooCommerce:Stores:1:Name", WooEntityStore),
        new("Connectors:WooCommerce:Stores:1:WebhookSecret", WooEntitySecretAsStored),
    ];
}
