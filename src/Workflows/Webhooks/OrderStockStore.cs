namespace Integration.Workflows.Webhooks;

/// <summary>
/// A store as its deliveries name it in the inbox (<paramref name="InboxStore"/>: Shopify's shop domain, a WooCommerce
/// store's name) and as its ERP documents do (<paramref name="Key"/>), with the warehouse its orders leave.
/// </summary>
public sealed record OrderStockStore(string InboxStore, string Key, string Warehouse);
