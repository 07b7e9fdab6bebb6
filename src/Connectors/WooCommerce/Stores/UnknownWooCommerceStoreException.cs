namespace Integration.Connectors.WooCommerce.Stores;

/// <summary>A flow or command named a WooCommerce store that is not configured.</summary>
public sealed class UnknownWooCommerceStoreException(string? store, string message) : InvalidOperationException(message)
{
    public string? Store { get; } = store;
}
