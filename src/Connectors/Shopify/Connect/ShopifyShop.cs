namespace Integration.Connectors.Shopify.Connect;

/// <summary>A connected shop as its Admin API describes it.</summary>
public sealed record ShopifyShop(string Store, string ShopDomain, long ShopId, string Name, string Currency, IReadOnlyList<ShopifyLocation> Locations);

/// <summary>A shop location (where stock is kept).</summary>
public sealed record ShopifyLocation(long Id, string Name, bool IsActive);

/// <summary>What <c>shopify connect</c> did: the shop, and the webhook topics it subscribed now or found subscribed.</summary>
public sealed record ShopifyConnectResult(ShopifyShop Shop, IReadOnlyList<string> Subscribed, IReadOnlyList<string> AlreadySubscribed);
