namespace Integration.Connectors.WooCommerce.Connect;

/// <summary>A connected store as its <c>system_status</c> describes it.</summary>
public sealed record WooCommerceStoreFacts(string Store, string SiteUrl, string Currency, string? WooCommerceVersion, string? WordPressVersion, int? Decimals);

/// <summary>One webhook of the store that the host relies on, and what <c>woocommerce connect</c> did to it.</summary>
public sealed record WooCommerceWebhookRepair(string Topic, long Id, string Action);

/// <summary>
/// What <c>woocommerce connect</c> did: the store's facts, and for each topic the flows need whether its webhook was
/// created, re-enabled (WooCommerce disables a webhook after repeated failed deliveries) or found active; duplicates removed.
/// </summary>
public sealed record WooCommerceConnectResult(WooCommerceStoreFacts Facts, Uri DeliveryUrl, IReadOnlyList<WooCommerceWebhookRepair> Webhooks, int DuplicatesRemoved)
{
    public IEnumerable<string> Created => Webhooks.Where(w => w.Action == "created").Select(w => w.Topic);

    public IEnumerable<string> Reactivated => Webhooks.Where(w => w.Action == "reactivated").Select(w => w.Topic);

    public IEnumerable<string> Present => Webhooks.Where(w => w.Action == "active").Select(w => w.Topic);
}
