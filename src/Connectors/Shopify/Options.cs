using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify;

/// <summary><c>Connectors:Shopify</c>: the Shopify stores this host serves.</summary>
public sealed class ShopifyOptions
{
    public const string Section = "Connectors:Shopify";

    [ValidateEnumeratedItems]
    public List<ShopifyStoreOptions> Stores { get; init; } = [];

    /// <summary>The SKU index reads a store's catalogue again for an unknown SKU at most this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SkuIndexRefresh { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// One Shopify store: how to reach it and where its orders land in the ERP. Secrets come from environment variables,
/// e.g. <c>Connectors__Shopify__Stores__0__AppSecret</c>. The ERP defaults name what the ERP seeds for a new company
/// (company EG01, warehouse MAIN-WH, cost center ONLINE, accounts 4200 shipping income and 1130 gateway clearing).
/// </summary>
public sealed class ShopifyStoreOptions
{
    /// <summary>The store's <c>*.myshopify.com</c> domain, as Shopify sends it in <c>X-Shopify-Shop-Domain</c>.</summary>
    [Required]
    public string ShopDomain { get; init; } = "";

    /// <summary>The store's key in logs, the key map and flows; the shop domain when not set.</summary>
    public string? Name { get; init; }

    /// <summary>The custom app's client secret; it signs every webhook delivery.</summary>
    [Required]
    public string AppSecret { get; init; } = "";

    /// <summary>Secrets still accepted after a rotation (Shopify may sign with the old one for up to an hour).</summary>
    public List<string> PreviousAppSecrets { get; init; } = [];

    /// <summary>Admin API access token (used by the connector's client).</summary>
    public string? AccessToken { get; init; }

    /// <summary>Pinned Admin API version.</summary>
    public string ApiVersion { get; init; } = "2026-04";

    /// <summary>Base URL of the Admin API; <c>https://{ShopDomain}</c> when not set (tests point it at a simulator).</summary>
    public string? AdminUrl { get; init; }

    /// <summary>The ERP company the store's orders are booked in.</summary>
    public string Company { get; init; } = "EG01";

    /// <summary>
    /// The ERP warehouse the store's orders are booked out of (every order, whichever location fulfils it); with
    /// <see cref="Locations"/>, one of them must stand for it.
    /// </summary>
    public string Warehouse { get; init; } = "MAIN-WH";

    /// <summary>Shopify locations and the ERP warehouse each one is.</summary>
    public List<ShopifyLocationOptions> Locations { get; init; } = [];

    /// <summary>The ERP cost center of the store's income.</summary>
    public string? CostCenter { get; init; } = "ONLINE";

    /// <summary>The ERP price list pushed to the store.</summary>
    public string? PriceList { get; init; }

    /// <summary>
    /// The store's time zone (Shopify's <em>Settings &gt; General &gt; Time zone</em>, as an IANA id such as
    /// <c>Africa/Cairo</c>): an ERP price or promotion starts at midnight of its first day there.
    /// </summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The ERP customer of orders without a customer (guest checkout, POS).</summary>
    public string? GuestCustomer { get; init; }

    /// <summary>The ERP income account of shipping charges.</summary>
    public string ShippingIncomeAccount { get; init; } = "4200";

    /// <summary>
    /// The ERP income account of custom lines: lines with neither a variant nor a SKU that are no gift card (a custom
    /// item added to a draft order or at the POS, a tip). They are no ERP item, so they move no stock. Its ETA seller
    /// must code them by this account (<c>ChargeCodes</c>; the host refuses to start otherwise).
    /// </summary>
    public string CustomItemIncomeAccount { get; init; } = "4100";

    /// <summary>The ERP income account a refund of money without goods or shipping (goodwill, a discrepancy) is credited on: Sales Returns and Discounts.</summary>
    public string RefundDiscrepancyAccount { get; init; } = "4300";

    /// <summary>Payment gateway name (as in <c>payment_gateway_names</c>) to the ERP account the money lands in.</summary>
    public Dictionary<string, string> PaymentAccounts { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The ERP account of payments through a gateway not in <see cref="PaymentAccounts"/>.</summary>
    public string DefaultPaymentAccount { get; init; } = "1130";

    /// <summary>
    /// The ERP liability account of gift cards: a sold gift card is credited to it (not income), and a payment by gift
    /// card (gateway <c>gift_card</c>, unless <see cref="PaymentAccounts"/> names it) is debited to it.
    /// </summary>
    public string GiftCardAccount { get; init; } = "2130";

    /// <summary>
    /// The ERP masters this store's products (titles, variants, images, status): <c>shopify-item-sync</c> writes each
    /// changed item's whole product with <c>productSet</c>, which deletes the variants and images the ERP does not
    /// have. Off by default: a store whose catalogue is kept in Shopify only gets status, stock and prices.
    /// </summary>
    public bool SyncProducts { get; init; }

    /// <summary>
    /// With <see cref="SyncProducts"/>: how long a product's sync waits for further changes of the same product (its
    /// template or a variant) before writing it; each change within the window restarts it, and only the last one's run
    /// sends a productSet, of the product as it is then. Zero writes at once on every change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ProductSyncDebounce { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The store's key: <see cref="Name"/>, else the shop domain.</summary>
    public string Key => string.IsNullOrWhiteSpace(Name) ? ShopDomain.Trim() : Name.Trim();

    /// <summary>
    /// The Shopify location of an ERP warehouse: the inverse of <see cref="Locations"/> (the first location listed when
    /// several stand for one warehouse); null when none does.
    /// </summary>
    public long? LocationOf(string warehouse) =>
        Locations.FirstOrDefault(l => l.Warehouse.Trim().Equals(warehouse.Trim(), StringComparison.OrdinalIgnoreCase)) is { } location
            && Client.ShopifyGid.TryParse(location.LocationId, "Location", out var id) ? id : null;

    /// <summary>The Admin API base URL, without a trailing slash.</summary>
    public Uri AdminBaseUri => new((string.IsNullOrWhiteSpace(AdminUrl) ? "https://" + ShopDomain.Trim() : AdminUrl.Trim()).TrimEnd('/') + "/");
}

/// <summary>A Shopify location (numeric id or <c>gid://shopify/Location/N</c>) and the ERP warehouse it stands for.</summary>
public sealed class ShopifyLocationOptions
{
    public string LocationId { get; init; } = "";

    public string Warehouse { get; init; } = "";
}

[OptionsValidator]
internal sealed partial class ShopifyOptionsValidator : IValidateOptions<ShopifyOptions>;
