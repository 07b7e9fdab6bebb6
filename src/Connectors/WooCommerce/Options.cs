using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce;

/// <summary><c>Connectors:WooCommerce</c>: the WooCommerce stores this host serves.</summary>
public sealed class WooCommerceOptions
{
    public const string Section = "Connectors:WooCommerce";

    [ValidateEnumeratedItems]
    public List<WooCommerceStoreOptions> Stores { get; init; } = [];

    /// <summary>
    /// This host's public URL of the WooCommerce webhooks, without the store, e.g.
    /// <c>https://integration.example.com/webhooks/woocommerce</c>; each store's deliveries go to <c>{WebhookUrl}/{Name}</c>.
    /// </summary>
    public string? WebhookUrl { get; init; }

    /// <summary>The SKU index reads a store's catalogue again for an unknown SKU at most this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SkuIndexRefresh { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// One WooCommerce store: how to reach its REST API (<c>/wp-json/wc/v3</c>, Basic auth with a REST API key over HTTPS),
/// the secret its webhooks are signed with, and where its orders land in the ERP. Each secret is given either as its
/// value (from the environment, e.g. <c>Connectors__WooCommerce__Stores__0__ConsumerSecret</c>) or as the name of the
/// environment variable that holds it (<c>ConsumerSecretVariable</c>), so configuration files never carry secrets.
/// </summary>
public sealed class WooCommerceStoreOptions
{
    /// <summary>The store's key in the webhook URL (<c>/webhooks/woocommerce/{Name}</c>), logs, the key map and flows.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]+$", ErrorMessage = "Name must be a URL segment: letters, digits, '-' or '_'.")]
    public string Name { get; init; } = "";

    /// <summary>The site URL, e.g. <c>https://shop.example.com</c> (the REST API is under <c>/wp-json/wc/v3</c>).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The REST API consumer key (<c>ck_...</c>).</summary>
    public string? ConsumerKey { get; init; }

    /// <summary>The environment variable holding the consumer key, instead of <see cref="ConsumerKey"/>.</summary>
    public string? ConsumerKeyVariable { get; init; }

    /// <summary>The REST API consumer secret (<c>cs_...</c>).</summary>
    public string? ConsumerSecret { get; init; }

    /// <summary>The environment variable holding the consumer secret, instead of <see cref="ConsumerSecret"/>.</summary>
    public string? ConsumerSecretVariable { get; init; }

    /// <summary>The secret entered on the store's webhooks; it signs every delivery.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>The environment variable holding the webhook secret, instead of <see cref="WebhookSecret"/>.</summary>
    public string? WebhookSecretVariable { get; init; }

    /// <summary>
    /// Secrets still accepted during a rotation: the new one configured here first, then <c>woocommerce connect</c> sets it
    /// on the webhooks. Without it, the deliveries WooCommerce signs with the old one meanwhile are refused, and it
    /// disables a webhook after five failed deliveries in a row.
    /// </summary>
    public List<string> PreviousWebhookSecrets { get; init; } = [];

    /// <summary>The ERP company the store's orders are booked in.</summary>
    public string Company { get; init; } = "EG01";

    /// <summary>The ERP warehouse the store sells from and whose stock it shows.</summary>
    public string Warehouse { get; init; } = "MAIN-WH";

    /// <summary>The ERP cost center of the store's income.</summary>
    public string? CostCenter { get; init; } = "ONLINE";

    /// <summary>The ERP price list pushed to the store.</summary>
    public string? PriceList { get; init; }

    /// <summary>
    /// The store's time zone (WordPress's <em>Settings &gt; General &gt; Timezone</em>, an IANA id such as <c>Africa/Cairo</c>):
    /// an ERP promotion runs from midnight of its first day to 23:59:59 of its last day there.
    /// </summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Whether the ERP masters the store's products: ERP items are written as products (catalogue push). Off by default.</summary>
    public bool SyncProducts { get; init; }

    /// <summary>The ERP customer of guest orders (customer_id 0).</summary>
    public string? GuestCustomer { get; init; }

    /// <summary>The ERP income account of shipping charges.</summary>
    public string ShippingIncomeAccount { get; init; } = "4200";

    /// <summary>The ERP income account of order fees (fee_lines: a cash-on-delivery fee, a gift wrap).</summary>
    public string FeeIncomeAccount { get; init; } = "4200";

    /// <summary>
    /// The ERP account of store credit (a wallet, points, a store credit plugin), entered as a fee with a negative amount
    /// and no tax on taxed products: that part of the order is paid from it. Default 2130, the default chart's customer
    /// advances and gift cards (a liability to the customer).
    /// </summary>
    public string StoreCreditAccount { get; init; } = "2130";

    /// <summary>The ERP income account a refund of money without goods is debited to: Sales Returns and Discounts.</summary>
    public string RefundDiscrepancyAccount { get; init; } = "4300";

    /// <summary>Payment method id (the order's <c>payment_method</c>: cod, bacs, stripe...) to the ERP account the money lands in.</summary>
    public Dictionary<string, string> PaymentAccounts { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The ERP account of payments through a method not in <see cref="PaymentAccounts"/>.</summary>
    public string DefaultPaymentAccount { get; init; } = "1130";

    /// <summary>Requests per second the host sends to the store at most (WordPress hosts vary: shared hosting wants few).</summary>
    [Range(0.1, 1000)]
    public double RequestsPerSecond { get; init; } = 5;

    /// <summary>Requests in flight to the store at once, at most.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRequests { get; init; } = 2;

    /// <summary>The store's key (its <see cref="Name"/>, trimmed).</summary>
    public string Key => Name.Trim();

    /// <summary>The consumer key: <see cref="ConsumerKey"/>, else the variable <see cref="ConsumerKeyVariable"/> names; null when neither is set.</summary>
    public string? ResolvedConsumerKey => StoreSecret.Resolve(ConsumerKey, ConsumerKeyVariable);

    /// <summary>The consumer secret, from its value or its variable; null when neither is set.</summary>
    public string? ResolvedConsumerSecret => StoreSecret.Resolve(ConsumerSecret, ConsumerSecretVariable);

    /// <summary>The webhook secret, from its value or its variable; null when neither is set.</summary>
    public string? ResolvedWebhookSecret => StoreSecret.Resolve(WebhookSecret, WebhookSecretVariable);

    /// <summary>The store's <see cref="TimeZone"/>.</summary>
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone.Trim());

    /// <summary>The REST API root, <c>{BaseUrl}/</c>.</summary>
    public Uri BaseUri => new((BaseUrl ?? "").Trim().TrimEnd('/') + "/");
}

/// <summary>A store secret given as a value, or as the name of the environment variable that holds it.</summary>
internal static class StoreSecret
{
    public static string? Resolve(string? value, string? variable) =>
        !string.IsNullOrEmpty(value) ? value
        : !string.IsNullOrWhiteSpace(variable) && Environment.GetEnvironmentVariable(variable.Trim()) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;
}

[OptionsValidator]
internal sealed partial class WooCommerceOptionsValidator : IValidateOptions<WooCommerceOptions>;
