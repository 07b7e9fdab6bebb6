using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify.Stores;

/// <summary>The configured stores, found by key (Name) or shop domain.</summary>
public sealed class ShopifyStores(IOptionsMonitor<ShopifyOptions> options)
{
    public IReadOnlyList<ShopifyStoreOptions> All => options.CurrentValue.Stores;

    /// <summary>How many stores the host serves.</summary>
    public int Count => options.CurrentValue.Stores.Count;

    /// <summary>The store named <paramref name="store"/> (Name or shop domain); the only store when none is named.</summary>
    public ShopifyStoreOptions Get(string? store)
    {
        var stores = options.CurrentValue.Stores;
        if (string.IsNullOrWhiteSpace(store))
        {
            return stores.Count == 1 ? stores[0]
                : throw new UnknownShopifyStoreException(null, stores.Count == 0
                    ? $"No Shopify store is configured ({ShopifyOptions.Section}:Stores is empty)."
                    : $"Name the Shopify store: {stores.Count} are configured ({Known(stores)}).");
        }

        var key = store.Trim();
        return stores.FirstOrDefault(s => s.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? stores.FirstOrDefault(s => s.ShopDomain.Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? throw new UnknownShopifyStoreException(key, stores.Count == 0
                ? $"Unknown Shopify store '{key}': no store is configured ({ShopifyOptions.Section}:Stores is empty)."
                : $"Unknown Shopify store '{key}': configured are {Known(stores)}.");
    }

    private static string Known(IEnumerable<ShopifyStoreOptions> stores) =>
        string.Join(", ", stores.Select(s => s.Key == s.ShopDomain ? s.Key : $"{s.Key} ({s.ShopDomain})"));
}
