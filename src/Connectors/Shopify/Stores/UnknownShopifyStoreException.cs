namespace Integration.Connectors.Shopify.Stores;

/// <summary>A flow or command named a store that is not configured.</summary>
public sealed class UnknownShopifyStoreException(string? store, string message) : InvalidOperationException(message)
{
    public string? Store { get; } = store;
}
