using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce.Stores;

/// <summary>The configured WooCommerce stores, found by Name.</summary>
public sealed class WooCommerceStores(IOptionsMonitor<WooCommerceOptions> options)
{
    public IReadOnlyList<WooCommerceStoreOptions> All => options.CurrentValue.Stores;

    public int Count => options.CurrentValue.Stores.Count;

    /// <summary>The store named <paramref name="store"/>; the only store when none is named.</summary>
    public WooCommerceStoreOptions Get(string? store)
    {
        var stores = options.CurrentValue.Stores;
        if (string.IsNullOrWhiteSpace(store))
        {
            return stores.Count == 1 ? stores[0]
                : throw new UnknownWooCommerceStoreException(null, stores.Count == 0
                    ? $"No WooCommerce store is configured ({WooCommerceOptions.Section}:Stores is empty)."
                    : $"Name the WooCommerce store: {stores.Count} are configured ({Known(stores)}).");
        }

        var key = store.Trim();
        return stores.FirstOrDefault(s => s.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
            ?? throw new UnknownWooCommerceStoreException(key, stores.Count == 0
                ? $"Unknown WooCommerce store '{key}': no store is configured ({WooCommerceOptions.Section}:Stores is empty)."
                : $"Unknown WooCommerce store '{key}': configured are {Known(stores)}.");
    }

    /// <summary>Where a store's webhooks are delivered: <c>{WebhookUrl}/{Name}</c>; null when no WebhookUrl is set.</summary>
    public Uri? DeliveryUrl(string store, string? webhookUrl = null)
    {
        var root = webhookUrl ?? options.CurrentValue.WebhookUrl;
        return string.IsNullOrWhiteSpace(root) ? null : new Uri(root.Trim().TrimEnd('/') + "/" + Uri.EscapeDataString(Get(store).Key));
    }

    private static string Known(IEnumerable<WooCommerceStoreOptions> stores) => string.Join(", ", stores.Select(s => s.Key));
}
